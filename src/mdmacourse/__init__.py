"""The course's Python module: project identity, book checks, and (later) data loading and plotting."""
