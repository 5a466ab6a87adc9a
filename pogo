#!/usr/bin/env bash
# pogo: the Felix/Gogo shell with every Pogo bundle; `pogo run OPTIONS` runs one VM headless and exits with the
# guest's status. Builds itself on first use and after source changes (see scripts/common.sh).
set -uo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/scripts/common.sh"
jdk="$(find_jdk25)" || exit 2
ensure_built "$jdk" || exit 2
if [ $# -eq 0 ] && [ -z "${POGO_SKIP_BUILD:-}" ]; then
    ensure_linux_images || exit 2
fi
# Guest RAM is off-heap; the heap holds each VM's code cache (at most pogo.code.cache, 64M by default), device
# buffers and the framework. One VM fits well in 1 GiB, a shell of a few dozen in 4 GiB; a host short of heap
# fails a VM or ends with a message rather than swapping for minutes. One VM's hot path allocates nothing, so
# `pogo run` takes the serial collector from a small heap: no concurrent GC threads or remembered sets, which
# start faster and keep the process's resident memory near what the guest uses. POGO_JAVA_OPTS comes last and wins.
jvm=(-Xmx4g)
[ "${1:-}" = run ] && jvm=(-Xmx1g -Xms16m -XX:+UseSerialGC)
jvm+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
# shellcheck disable=SC2046 # the options are words without spaces
exec "$jdk/bin/java" "${jvm[@]}" $(aot_cache_options "$jdk" "${jvm[@]}") \
    ${POGO_JAVA_OPTS:-} -Dpogo.root="$POGO_ROOT" -Dpogo.state="${POGO_STATE:-}" -Dpogo.etc="${POGO_ETC:-}" \
    -cp "$POGO_ROOT/launcher/target/pogo/lib/*" io.pogo.launcher.Pogo "$@"
