"""The course's Python module: project identity, page checks and editions, the evidence data (loading and
validation), the analyses, tables and charts of the evidence chapters, and the build commands."""
