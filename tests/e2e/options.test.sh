#!/bin/sh
# Every option that --help lists must be in the man page's OPTIONS
# section, and the other way round: both come from one option table.
#
# usage: sh tests/e2e/options.test.sh PROGRAM   (from the project root)
set -eu

program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$program" --help | sed -n 's/^  -\(.\), --\([a-z-]*\).*/-\1 --\2/p' |
    sort >"$work/help"
sed -n '/^\.SH OPTIONS/,/^\.SH /p' docs/costshare.1 | sed 's/\\-/-/g' |
    sed -n 's/^\.BR -\(.\) ", " --\([a-z-]*\).*/-\1 --\2/p' |
    sort >"$work/man"
test -s "$work/help"
diff "$work/help" "$work/man"
echo "options in --help and the man page agree: $(wc -l <"$work/help")"
