#!/bin/sh
# Every message the program can print about input: the format strings of
# diag_error and diag_warning in src/, listed and checked for the house
# form: lower case after the prefix (a quoted value, an acronym such as
# "Excel" or "UTF-8", or a conversion may start it instead), no final
# period, and no "error:" prefix of its own.
#
# usage: sh tests/e2e/messages.test.sh PROGRAM   (from the project root)
set -eu

list=$(mktemp)
trap 'rm -f "$list"' EXIT

# The first string literal after each diag_error( or diag_warning(,
# joined across the lines it spans.
awk '
    /diag_(error|warning)\(/ { collecting = 1; text = "" }
    collecting {
        line = $0
        while (match(line, /"([^"\\]|\\.)*"/)) {
            text = text substr(line, RSTART + 1, RLENGTH - 2)
            line = substr(line, RSTART + RLENGTH)
            seen = 1
        }
        if (seen && $0 ~ /[,;)][ \t]*$/ && $0 !~ /"[ \t]*$/) {
            print FILENAME ": " text
            collecting = 0; seen = 0
        }
    }
' src/*.c >"$list"

count=$(wc -l <"$list")
[ "$count" -gt 50 ] || { echo "only $count messages found" >&2; exit 1; }
bad=0
while IFS= read -r entry; do
    message=${entry#*: }
    case $message in
    [a-z]* | \\\"* | %* | \[* | Excel* | UTF-16* | UTF-8* | JFA*) ;;
    *) echo "not lower case: $entry"; bad=$((bad + 1)) ;;
    esac
    case $message in
    *.) echo "final period: $entry"; bad=$((bad + 1)) ;;
    esac
    case $message in
    error:* | Error:*) echo "own prefix: $entry"; bad=$((bad + 1)) ;;
    esac
done <"$list"
echo "$count messages checked, $bad not in the house form"
[ "$bad" = 0 ]
