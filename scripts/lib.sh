# Shared set-up steps for scripts/build and scripts/test. Source it; do not run it.
# Everything here is idempotent: a step that is already done costs a second.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\n==> %s\n' "$*"; }

# The Python environment: created from requirements.txt when missing or when requirements.txt changed.
ensure_python_env() {
  local stamp="$VENV/.requirements.sha256" want
  want=$(cat "$ROOT/requirements.txt" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)
  if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  local base=${PYTHON:-python3}
  command -v "$base" >/dev/null || { echo "error: $base not found; install python3 and python3-venv (apt-get install python3-venv)" >&2; exit 1; }
  # Debian's python3 creates a venv only with the python3-venv package (ensurepip).
  if ! "$base" -c "import ensurepip, venv" 2>/dev/null; then
    ensure_apt python3-venv
  fi
  say "Creating the Python environment in .venv from requirements.txt"
  [ -x "$PY" ] || "$base" -m venv "$VENV" || { echo "error: could not create .venv; on Debian: apt-get install python3-venv" >&2; exit 1; }
  "$PY" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements.txt"
  echo "$want" > "$stamp"
}

# Debian packages. PDF: the smallest TeX set that builds the book (see README); browser tests: chromium.
APT_PDF="texlive-xetex texlive-fonts-recommended latexmk fonts-freefont-otf poppler-utils"
APT_BROWSER="chromium"

missing_apt() {
  local pkg missing=""
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
  echo "$missing"
}

ensure_apt() {
  local missing
  missing=$(missing_apt "$@")
  [ -z "$missing" ] && return 0
  say "Installing Debian packages:$missing"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root (or sudo) to install:$missing" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $missing
  missing=$(missing_apt "$@")
  [ -z "$missing" ] || { echo "error: still missing after apt-get:$missing" >&2; exit 1; }
}
