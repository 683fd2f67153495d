#!/usr/bin/env bash
# Keeps the man page (docs/gradgen.1) and the bash completion
# (cmake/bash-completion/gradgen) in step with the binary's --help texts.
#
#   tests/man_and_completion.sh GRADGEN [SOURCE_ROOT]
#
# For the main command and every command its --help lists (gradgen check,
# eval, explain, dot), every option that "gradgen [command] --help" mentions
# (--long and -x) must
#   - have a .TP entry in the man page: in OPTIONS for the main command, in
#     the subsection .SS "gradgen COMMAND" for a command;
#   - be offered by the completion for that command: the script is sourced in
#     a fresh bash, _gradgen is called with COMP_WORDS/COMP_CWORD set to
#     "gradgen [command] -", and COMPREPLY is read.
# Then: the first word completes to the commands, the word after --type to
# the three scalar types, file names after the options that take a file,
# nothing after --name; the completion passes bash -n; and the man page
# renders without a warning from man (skipped when man is missing) or groff.
# The completion is driven in plain bash, and again with the bash-completion
# package's helpers loaded when the package is installed.
#
# Prints "man_and_completion: ok" and exits 0, or names every failure and
# exits 1 (2 for bad usage).
set -u

if (($# < 1 || $# > 2)); then
    echo "usage: $0 GRADGEN [SOURCE_ROOT]" >&2
    exit 2
fi
gradgen=$1
root=$(cd "${2:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)
man_page=$root/docs/gradgen.1
completion=$root/cmake/bash-completion/gradgen

failures=0
fail() {
    echo "man_and_completion: FAIL: $*" >&2
    failures=$((failures + 1))
}
note() { echo "man_and_completion: $*"; }

for f in "$gradgen" "$man_page" "$completion"; do
    if [[ ! -e $f ]]; then
        echo "man_and_completion: FAIL: $f does not exist" >&2
        exit 1
    fi
done
if ! command -v perl >/dev/null; then
    echo "man_and_completion: FAIL: perl is needed to read the --help texts" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/man_and_completion.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# The options a text mentions, one a line: --long, and -x (or -O0) standing
# alone; not -oFILE, not hyphenated words, not "-x*y" inside quotes.
options_in() {
    perl -ne 'print "$1\n" while /(?<![\w"\x27-])(--[[:alpha:]][\w-]*|-[[:alpha:]]\d?(?![\w]))/g' | sort -u
}

# The option tags (lines after .TP or .TQ) of one part of the man page, as
# text: OPTIONS for "", the subsection "gradgen COMMAND" for COMMAND.
man_tags() {
    perl -e '
        my $want = shift;
        my ($in, $tag) = (0, 0);
        while (<>) {
            chomp;
            next if /^\.\\"/;
            if (/^\.SH\s+"?([^"]*?)"?\s*$/) { $in = ($want eq "" && $1 eq "OPTIONS"); $tag = 0; next; }
            if (/^\.SS\s+"?([^"]*?)"?\s*$/) { $in = ($1 eq "gradgen $want") if $want ne ""; $tag = 0; next; }
            next unless $in;
            if (/^\.(TP|TQ)\b/) { $tag = 1; next; }
            next unless $tag;
            $tag = 0;
            s/\\f(\[[^]]*\]|\(..|.)//g;   # fonts
            s/\\-/-/g;                    # minus signs
            s/\\[%&:]//g;                 # hyphenation and zero-width escapes
            s/^\.\w+\s*//;                # a font macro: .B, .BR, ...
            s/"//g;
            print "$_\n";
        }' "$1" "$man_page"
}

# Calls _gradgen with COMP_WORDS set to the arguments (the last one is the
# word being completed) and prints COMPREPLY, one entry a line. In mode
# "bash-completion" the package's helpers are loaded first.
mode=plain
bash_completion_main=
for f in /usr/share/bash-completion/bash_completion /etc/bash_completion; do
    if [[ -r $f ]]; then
        bash_completion_main=$f
        break
    fi
done
complete_words() {
    # shellcheck disable=SC2016 # expanded by the inner bash
    (cd "$work/files" && env -u BASH_ENV bash --norc --noprofile -c '
        if [[ $1 == bash-completion ]]; then
            source "$2" >/dev/null 2>&1
            declare -F _init_completion >/dev/null || { echo "NO_INIT_COMPLETION"; exit 0; }
        fi
        source "$3" || exit 1
        shift 3
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        COMP_TYPE=9
        COMP_KEY=9
        _gradgen
        ((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}"
        exit 0' _ "$mode" "$bash_completion_main" "$completion" "$@" 2>>"$work/complete.err")
}

# --- The --help texts ------------------------------------------------------

if ! main_help=$("$gradgen" --help 2>"$work/stderr") || [[ -z $main_help ]]; then
    echo "man_and_completion: FAIL: '$gradgen --help' failed: $(cat "$work/stderr")" >&2
    exit 1
fi
# The commands: the lines "  gradgen NAME ..." of the main --help.
mapfile -t commands < <(sed -nE 's/^ +gradgen ([a-z][a-z-]*) \.\.\..*/\1/p' <<<"$main_help")
for expected in check eval explain dot; do
    [[ " ${commands[*]} " == *" $expected "* ]] ||
        fail "gradgen --help does not list the command '$expected' as 'gradgen $expected ...'"
done

# "" is the main command; its options are under the key "main".
declare -A help_options
for command in "" "${commands[@]}"; do
    # shellcheck disable=SC2086 # no command: no argument
    if ! text=$("$gradgen" $command --help 2>"$work/stderr") || [[ -z $text ]]; then
        fail "'gradgen ${command:+$command }--help' failed: $(cat "$work/stderr")"
        continue
    fi
    help_options[${command:-main}]=$(options_in <<<"$text")
    if [[ -z ${help_options[${command:-main}]} ]]; then
        fail "no options found in 'gradgen ${command:+$command }--help'"
    fi
done

# --- The man page ----------------------------------------------------------

for command in "" "${commands[@]}"; do
    [[ -n ${help_options[${command:-main}]+set} ]] || continue
    if [[ -n $command ]]; then
        where="the subsection .SS \"gradgen $command\""
    else
        where="the section .SH OPTIONS"
    fi
    tags=$(man_tags "$command")
    if [[ -z $tags ]]; then
        fail "$man_page: $where is missing or has no .TP entries"
        continue
    fi
    documented=$(options_in <<<"$tags")
    while IFS= read -r option; do
        grep -qxF -- "$option" <<<"$documented" ||
            fail "$man_page: $option (gradgen ${command:+$command }--help) has no .TP entry in $where"
    done <<<"${help_options[${command:-main}]}"
done

if ! command -v man >/dev/null; then
    note "skipping the man rendering check: man is not installed"
else
    env -u MANOPT -u MANROFFOPT -u MANPAGER LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man_page" >/dev/null 2>"$work/man.err"
    status=$?
    if ((status != 0)) || [[ -s $work/man.err ]]; then
        fail "man --warnings -l $man_page (status $status):"$'\n'"$(cat "$work/man.err")"
    fi
fi
if ! command -v groff >/dev/null; then
    note "skipping the groff check: groff is not installed"
else
    groff -man -ww -z "$man_page" >"$work/groff.err" 2>&1
    if [[ -s $work/groff.err ]]; then
        fail "groff -man -ww -z $man_page:"$'\n'"$(cat "$work/groff.err")"
    fi
fi

# --- The completion --------------------------------------------------------

completion_usable=1
if ! bash -n "$completion" 2>"$work/bash-n.err"; then
    fail "bash -n $completion:"$'\n'"$(cat "$work/bash-n.err")"
    completion_usable=0
else
    # shellcheck disable=SC2016 # expanded by the inner bash
    registered=$(env -u BASH_ENV bash --norc --noprofile -c 'source "$1" && complete -p gradgen' _ "$completion" 2>&1)
    if [[ $registered != "complete -F _gradgen gradgen" ]]; then
        fail "sourcing $completion does not register 'complete -F _gradgen gradgen': [$registered]"
        completion_usable=0
    fi
fi
mkdir -p "$work/files/dir"
touch "$work/files/program.gg" "$work/files/other.hpp"

# $1 = what is expected (sorted lines), $2 = a description, the rest = words.
expect_completion() {
    local expected what=$2 got
    expected=$(sort <<<"$1")
    shift 2
    got=$(complete_words "$@" | sort)
    if [[ $got != "$expected" ]]; then
        fail "completion ($mode bash) of '$*' $what: expected [${expected//$'\n'/ }], got [${got//$'\n'/ }]"
    fi
}

modes=(plain)
if ((!completion_usable)); then
    modes=()
    note "skipping the completion's behaviour: the script does not load"
elif [[ -n $bash_completion_main ]]; then
    modes+=(bash-completion)
else
    note "the bash-completion package is not installed: completion checked in plain bash only"
fi
for mode in "${modes[@]}"; do
    if [[ $mode == bash-completion && $(complete_words gradgen "") == NO_INIT_COMPLETION ]]; then
        note "$bash_completion_main does not define _init_completion: completion checked in plain bash only"
        continue
    fi
    for command in "" "${commands[@]}"; do
        [[ -n ${help_options[${command:-main}]+set} ]] || continue
        # shellcheck disable=SC2086 # no command: no word
        offered=$(complete_words gradgen $command -)
        while IFS= read -r option; do
            grep -qxF -- "$option" <<<"$offered" ||
                fail "$completion ($mode bash): 'gradgen ${command:+$command }-<TAB>' does not offer $option (gradgen ${command:+$command }--help)"
        done <<<"${help_options[${command:-main}]}"
    done

    expect_completion "$(printf '%s\n' check dot eval explain)" "(the first word)" gradgen ""
    expect_completion "$(printf '%s\n' eval explain)" "(the first word)" gradgen e
    types=$(printf '%s\n' double float 'long\ double')
    expect_completion "$types" "(after --type)" gradgen --type ""
    expect_completion "$types" "(after --type)" gradgen check --type ""
    expect_completion 'long\ double' "(after --type)" gradgen --type l
    for words in "-f" "--file" "-o" "--output-file" "check --header" "dot -o" "eval -f"; do
        # shellcheck disable=SC2086 # the words are split on purpose
        expect_completion "program.gg" "(a file name)" gradgen $words pro
    done
    expect_completion "-fprogram.gg" "(a file name attached)" gradgen -fpro
    expect_completion "" "(a name)" gradgen --name ""
    expect_completion "" "(the program)" gradgen check ""
done

if [[ -s $work/complete.err ]]; then
    fail "_gradgen wrote to standard error (it must not, it would garble the command line):"$'\n'"$(sort -u "$work/complete.err" | head -20)"
fi

if ((failures > 0)); then
    echo "man_and_completion: $failures failure(s)" >&2
    exit 1
fi
echo "man_and_completion: ok"
