#!/bin/bash
# pogo: the Felix/Gogo shell with every Pogo bundle; `pogo run OPTIONS` runs one VM headless and exits with the
# guest's status. Builds itself on first use and after source changes (see scripts/common.sh).
# bash is named by its path (Debian's, as the packages common.sh installs are), not found through env: env was one
# more program to start before the JVM, 74 page faults and some 7 ms of CPU of every start on a busy host.
set -uo pipefail
self="${BASH_SOURCE[0]}"
[ -L "$self" ] && self="$(readlink -f "$self")"
[[ "$self" == */* ]] || self="./$self"
. "${self%/*}/scripts/common.sh"
find_jdk25 jdk || exit 2
ensure_built "$jdk" || exit 2
if [ $# -eq 0 ] && [ -z "${POGO_SKIP_BUILD:-}" ]; then
    ensure_linux_images || exit 2
fi
jvm_options jvm "${1:-}"
class_path path "${1:-}"
aot_cache_options cache_options "$jdk" "$path" "${jvm[@]}"
# POGO_JAVA_OPTS comes last and wins.
exec "$jdk/bin/java" "${jvm[@]}" "${cache_options[@]}" \
    ${POGO_JAVA_OPTS:-} -Dpogo.root="$POGO_ROOT" -Dpogo.state="${POGO_STATE:-}" -Dpogo.etc="${POGO_ETC:-}" \
    -cp "$path" io.pogo.launcher.Pogo "$@"
