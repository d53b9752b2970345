#!/usr/bin/env bash
# Validates every GitHub Actions workflow in .github/workflows against the
# workflow JSON schema, with @action-validator/cli (npm, version pinned below).
#
# The package runs the schema check in WebAssembly inside Node: no native
# binary, no download at run time. The only network use is the npm registry
# install, which is cached in $ACTION_VALIDATOR_HOME (default: a folder under
# ${XDG_CACHE_HOME:-~/.cache}) and skipped when that version is already there.
#
# Prints one line per file ("ok  <file>" or "FAIL <file>" followed by the
# validator's errors) and exits 1 if any file fails, 2 on a setup error.
#
# Usage: .ci/validate-workflows.sh [workflow files...]   (default: all of .github/workflows)
set -euo pipefail

VERSION="0.6.0"
PACKAGE="@action-validator/cli@${VERSION}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${ACTION_VALIDATOR_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/releasegovernor/action-validator-${VERSION}}"
cli="$dir/node_modules/@action-validator/cli/cli.mjs"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "validate-workflows: node and npm are required" >&2
  exit 2
fi

if [[ ! -f "$cli" ]] || ! grep -q "\"version\": \"${VERSION}\"" "$dir/node_modules/@action-validator/cli/package.json"; then
  mkdir -p "$dir"
  if ! npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$dir" "$PACKAGE" >"$dir/install.log" 2>&1; then
    echo "validate-workflows: npm install $PACKAGE failed:" >&2
    cat "$dir/install.log" >&2
    exit 2
  fi
fi

if (($# > 0)); then
  files=("$@")
else
  shopt -s nullglob
  files=("$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml)
  shopt -u nullglob
fi

if ((${#files[@]} == 0)); then
  echo "validate-workflows: no workflow files found" >&2
  exit 2
fi

failed=0
for file in "${files[@]}"; do
  name="${file#"$root"/}"
  if output="$(node "$cli" "$file" 2>&1)"; then
    echo "ok   $name"
  else
    echo "FAIL $name"
    printf '%s\n' "$output" | sed 's/^/     /'
    failed=$((failed + 1))
  fi
done

echo "${#files[@]} workflow files checked, $failed failed"
((failed == 0))
