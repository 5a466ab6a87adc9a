# Shared by ./pogo, scripts/test and .ci/run: find JDK 25, install missing Debian packages, build when stale.
# What `pogo run` passes through on every start uses bash's builtins, but for the one `find` for changed sources
# (which POGO_SKIP_BUILD=1 skips): each program it started (sed, find, cksum, ...) cost a fork and an exec. Nor does
# it start a subshell: the functions it calls set a variable the caller names rather than print what `$(...)` would
# take, since each `$(...)` forks the shell (a few ms of CPU each, tens of ms of wall time on a busy machine).

# The checkout, absolute and with no symbolic link: found by changing into it and back, rather than in a subshell.
pogo_caller_dir="$PWD"
CDPATH='' cd -P -- "${BASH_SOURCE[0]%/*}/.." && POGO_ROOT="$PWD" && CDPATH='' cd -- "$pogo_caller_dir" || exit 2
unset pogo_caller_dir

# Sets the variable named $1 to the home of a JDK 25 or newer: $JAVA_HOME if it is one, else the first under
# /usr/lib/jvm.
find_jdk25() {
    local -n found_jdk="$1"
    local jdk_candidate jdk_version jdk_line
    for jdk_candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$jdk_candidate" ] && [ -x "$jdk_candidate/bin/javac" ] || continue
        # the JDK's release file says its version without starting a JVM (which costs half a second of CPU)
        jdk_version=""
        while IFS= read -r jdk_line; do
            [[ "$jdk_line" =~ ^JAVA_VERSION=\"([0-9]+) ]] && jdk_version="${BASH_REMATCH[1]}" && break
        done 2>/dev/null <"$jdk_candidate/release"
        [ -n "$jdk_version" ] || jdk_version="$("$jdk_candidate/bin/java" -XshowSettings:properties -version 2>&1 |
            sed -n 's/^ *java.specification.version = //p')"
        if [ -n "$jdk_version" ] && [ "${jdk_version%%.*}" -ge 25 ] 2>/dev/null; then
            found_jdk="$jdk_candidate"
            return 0
        fi
    done
    echo "pogo: needs a JDK 25 or newer: set JAVA_HOME to one, or install one under /usr/lib/jvm" \
         "(for example Temurin 25)" >&2
    return 2
}

# Installs the Debian packages that are missing. Arguments: CHECK=package, CHECK a command or an absolute path.
ensure_packages() {
    local pair check missing=()
    for pair in "$@"; do
        check="${pair%%=*}"
        if [[ "$check" == /* ]]; then
            [ -e "$check" ] || missing+=("${pair#*=}")
        else
            command -v "$check" >/dev/null 2>&1 || missing+=("${pair#*=}")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo -n"
        else
            echo "pogo: missing Debian packages: ${missing[*]} (install them with apt-get as root)" >&2
            return 2
        fi
    fi
    echo "pogo: installing ${missing[*]} ..." >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

# What building Pogo and its test guests needs.
BUILD_PACKAGES=(mvn=maven make=make riscv64-unknown-elf-gcc=gcc-riscv64-unknown-elf
                /usr/lib/picolibc/riscv64-unknown-elf=picolibc-riscv64-unknown-elf)

# Builds the Linux guest images (guests/linux/out) when they are missing or older than their recipe; the recipe
# itself caches every step by the hash of its inputs. guests/linux/out links to a cache shared by every checkout
# on this machine ($POGO_CACHE, default ~/.cache/pogo), so a fresh clone does not rebuild the kernel.
ensure_linux_images() {
    local image="$POGO_ROOT/guests/linux/out/Image"
    local cache="${POGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pogo}/linux"
    if [ ! -e "$POGO_ROOT/guests/linux/out" ]; then
        mkdir -p "$cache" && ln -s "$cache" "$POGO_ROOT/guests/linux/out" || return 2
    fi
    if [ -e "$image" ] && [ -e "$POGO_ROOT/guests/linux/out/initramfs.cpio" ] &&
       [ -e "$POGO_ROOT/guests/linux/out/disk.img" ] && [ -e "$POGO_ROOT/guests/linux/out/vmlinux" ] &&
       [ -z "$(find "$POGO_ROOT/guests/linux" -path "$POGO_ROOT/guests/linux/out" -prune -o -type f -newer "$image" -print -quit)" ]; then
        return 0
    fi
    echo "pogo: building the Linux guest (Linux 6.1, busybox; several minutes the first time) ..." >&2
    "$POGO_ROOT/guests/linux/build" >/dev/null </dev/null
}

# Builds the distribution (launcher/target/pogo) when it is missing or older than any source;
# POGO_SKIP_BUILD=1 skips the check (the tests set it: Maven has just built everything).
ensure_built() {
    [ -n "${POGO_SKIP_BUILD:-}" ] && return 0
    local marker="$POGO_ROOT/launcher/target/pogo/lib/launcher.jar" stale=""
    if [ -e "$marker" ]; then
        stale="$(find "$POGO_ROOT" \( -name target -o -name .git -o -name generated \) -prune -o -type f \
                 \( -name '*.java' -o -name pom.xml -o -name '*.c' -o -name '*.S' -o -name '*.h' -o -name '*.ld' \
                    -o -name Makefile -o -name '*.bnd' \) -newer "$marker" -print -quit)"
        [ -z "$stale" ] && return 0
    fi
    ensure_packages "${BUILD_PACKAGES[@]}" || return 2
    echo "pogo: building (first run or sources changed; the first build downloads Maven packages) ..." >&2
    local log="$POGO_ROOT/target-build.log"
    if ! (cd "$POGO_ROOT" && JAVA_HOME="$1" mvn -B -q -DskipTests install -pl launcher,guests -am) </dev/null >"$log" 2>&1; then
        tail -40 "$log" >&2
        echo "pogo: the build failed (full log: $log)" >&2
        return 2
    fi
    rm -f "$log"
    # Maven leaves a jar whose contents did not change untouched, so the marker is dated here: else a change to any
    # other module would look stale to every later run and build again each time.
    touch "$marker"
    local options path
    jvm_options options run
    class_path path run
    make_aot_cache "$1" "$path" "${options[@]}"
}

# The class path of `pogo` (no argument) or `pogo run` ("run"). `pogo run` puts the bundles on it as well, and Felix
# takes their classes from it (OSGi Connect: launcher's ClassPathConnector), so that the AOT cache links them ahead of
# time (it does so only for its own loaders); the shell loads each bundle's classes in a class loader of its own, as
# OSGi does. Arguments: the variable to set, then "run" for that of `pogo run`.
class_path() {
    local -n class_path_into="$1"
    class_path_into="$POGO_ROOT/launcher/target/pogo/lib/*"
    [ "${2:-}" = run ] && class_path_into+=":$POGO_ROOT/launcher/target/pogo/bundles/*"
    return 0
}

# The JVM options of `pogo` (no argument) or `pogo run` ("run"). Guest RAM is off-heap; the heap holds each VM's
# code cache (at most pogo.code.cache, 64M by default), device buffers and the framework. One VM fits well in 1 GiB,
# a shell of a few dozen in 4 GiB; a host short of heap fails a VM or ends with a message rather than swapping for
# minutes. One VM's hot path allocates nothing, so `pogo run` takes the serial collector from a small heap: no
# concurrent GC threads or remembered sets, which start faster and keep the process's resident memory near what
# the guest uses. Its JVM compiles a method only after ten times the usual number of calls: starting Felix, SCR and
# a VM runs thousands of methods a few hundred times each, and compiling them all (some 2000 methods, most of the
# CPU time of a short run) took longer than running them; the guest's hot code is called millions of times and is
# compiled all the same. Measured on 2 cores: about a fifth less CPU for hello.elf and bench-small, the same for a
# Linux boot. The compiled regions of guest code are the exception: each is hot already when it is made (its entry
# block ran thousands of times), and waiting for the usual calls and loop iterations left a region's method in the
# JVM's interpreter for millions of guest instructions, so they are compiled at a tenth of the JVM's default counts
# (8% less CPU for bench.elf).
# `pogo run`'s JVM has two C2 compiler threads on a host of one or two CPUs (CICompilerCount 3: one C1, two C2; the
# JVM's own choice there is one of each, and on four CPUs or more it is three threads or more). The AOT cache's
# profiles make C2 compile the interpreter's method as soon as a guest starts (0.1-0.5 s of C2), and with one C2
# thread every region of guest code made meanwhile waited for it in C1's profiled code, which runs a region's loop
# some ten times slower than C2's: pagefill.elf's fill loop spent a third of its vCPU's samples there. With a second
# thread a region's C2 compilation starts at once: pagefill.elf's process CPU a median 1.59 s instead of 1.88, its
# vCPU's 0.45 s instead of 0.67 (10 alternating pairs at load 8-10, lower in 10 and 9), 2.48 s instead of 2.76 (8
# pairs at load 10-15, lower in 7); at load 18-20, where no core is free for the second thread, no difference. A
# Linux boot's CPU came out some 3% higher (higher in 8 of 10 pairs), bench.elf's and hello.elf's no higher (README).
# The shell's collector (G1) collects and gives back heap only when a VM's allocation fills it; idle VMs allocate
# next to nothing, so it collects after 60 s of quiet instead (G1PeriodicGCInterval) and returns what is free. That
# collection is a full one (G1PeriodicGCInvokesConcurrent off): a concurrent cycle sizes the heap by what it held at
# the cycle's remark, garbage included (the code idle VMs dropped, promoted while they booted), and took minutes of
# cycles to come down: five idle Linux VMs a minute after their boot kept 78 MiB of heap for 10 MiB live, against
# 16 MiB with a full collection (tens of milliseconds of one pause for that heap). Every 10 s, the collections were
# a tenth of the CPU of 200 idle VMs (1% of one core), each also making every compiled method's next call take the
# JVM's slow entry path; every 60 s they are a sixth of that.
# Likewise the C library keeps the memory the JVM's compilers freed after compiling a VM's guest code (tens of MiB
# while Linux guests boot) unless told to give it back: the shell trims its native heap every 10 s
# (TrimNativeHeapInterval). G1 keeps up to 70% of the heap free after such a collection by default; the shell keeps
# at most 30% (MaxHeapFreeRatio): the heap Linux guests fill while they boot is given back once they idle.
# Reflection calls methods and constructors through the JVM's native accessor (jdk.reflect.useNativeAccessorOnly):
# the default one spins method handle classes for each method at its first call, and nearly every reflective call
# here is a first one (Felix, SCR's activate and bind methods, Gogo's commands, the constructor of each compiled
# region of guest code). Spinning them was 7% of the main thread's CPU in a profile of hello.elf; the run as a whole
# took 0.03 s less CPU (median of 21 paired runs, 13 of them less, on a busy machine).
# The JVM's C2 compiles the cases of a switch it has not seen taken as traps (UseSwitchProfiling): the
# interpreter's switch over opcodes, compiled from the profile of the first guest code (or of the AOT cache's
# training run), was thrown away and compiled again, half a second of C2 each time, whenever a guest ran an
# opcode new to it (three times in a Linux boot).
# C2 inlined the decoder into each of the three hot methods that may decode a block (the run loop, the block lookup
# and its miss path), each such compilation taking 26-32 MB of compiler memory, for a call made once per new block;
# compiled apart (CompileCommand dontinline), it is compiled once: the Linux row's peak RSS a median 134 MiB instead
# of 138 (125-137 against 131-152) and its CPU 4.5 s instead of 4.9 (5 alternating pairs, load 2-3).
# The decoder's own compilation still took 24-26 MB, the most of any in a Linux boot (C2 keeps that memory for its
# next ones: it stays in the process's RSS): it inlined the expansion of compressed instructions, made per
# instruction like the decoding it calls already, and what is made once per new block (the block's shared arrays,
# its page's entry). Each compiled apart, the decoder takes 2.5 MB and the largest compilation is the interpreter's
# (15 MB).
# `pogo run` trims its native heap every second (TrimNativeHeapInterval), as the shell does every 10 s: what the
# compilers freed after the interpreter's compilation (a second into a Linux boot) was kept until the end, when the
# heap holds the most code; trimmed, the Linux row's peak RSS was a median 115 MiB instead of 120 (6 alternating
# pairs, load 6-7.5), for the same CPU (each trim takes a few milliseconds of a thread of its own).
# Two of the shell's JVM threads woke on their own timers many times a second whatever the VMs did: G1's concurrent
# refinement (some 11 wakes a second, each reading its CPU time) and the monitor deflation thread (4 a second, to
# see whether enough monitors are in use to deflate them). The shell refines cards in its collections' pauses
# instead (G1UseConcRefinement off: idle VMs dirty few cards), and deflates monitors only every minute
# (AsyncDeflationInterval 0 leaves GuaranteedAsyncDeflationInterval's 60 s): 30 idle Linux VMs took 2.1-2.2% of one
# core instead of 2.4-2.6% (two 60 s windows, one build booted side by side with and without them, load 6-9).
# Arguments: the array to set to the options, then "run" for those of `pogo run`.
jvm_options() {
    local -n jvm_options_into="$1"
    local jvm_options_mode=(-Xmx4g -XX:G1PeriodicGCInterval=60000 -XX:-G1PeriodicGCInvokesConcurrent
                            -XX:TrimNativeHeapInterval=10000 -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10)
    [ "${2:-}" = run ] && jvm_options_mode=(-Xmx1g -Xms16m -XX:+UseSerialGC -XX:CompileThresholdScaling=10
                                            -XX:TrimNativeHeapInterval=1000)
    jvm_options_into=("${jvm_options_mode[@]}" -Djdk.reflect.useNativeAccessorOnly=true
        -XX:+UnlockDiagnosticVMOptions -XX:-UseSwitchProfiling -XX:CompileCommand=quiet
        '-XX:CompileCommand=CompileThresholdScaling,io.pogo.cpu.jit.CompiledRegion*::run,0.1'
        -XX:CompileCommand=dontinline,io.pogo.cpu.jit.CodeCache::decode
        -XX:CompileCommand=dontinline,io.pogo.cpu.decode.CompressedExpander::expand
        -XX:CompileCommand=dontinline,io.pogo.cpu.jit.SharedCode::block
        -XX:CompileCommand=dontinline,io.pogo.cpu.jit.CodeCache::remember
        --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
    [ "${2:-}" = run ] || jvm_options_into+=(-XX:-G1UseConcRefinement -XX:AsyncDeflationInterval=0)
    local jvm_options_online=
    [ "${2:-}" = run ] && read -r jvm_options_online 2>/dev/null </sys/devices/system/cpu/online
    case "$jvm_options_online" in
        0 | 0-1) jvm_options_into+=(-XX:CICompilerCount=3) ;;
    esac
    return 0
}

# The JDK's AOT cache (JEP 483/514/515) for `pogo run`: classes of the JDK, Felix and every bundle loaded and
# linked, and the methods' profiles, from a training run (aot_training), instead of anew at every start. A cache fits
# only a JVM started like the one that made it, so there is one per JDK, class path, set of options and training,
# next to the jars it was made from. The build makes it (ensure_built); a cache missing or older than the JDK or a jar (Maven
# built the jars itself) is made in the background, so that run is not delayed. A cache the JVM cannot use anyway is
# ignored silently and the JVM starts as it would without one. Arguments: the variable to set to the cache's path,
# the JDK, the class path, then the JVM options.
aot_cache() {
    local -n aot_cache_into="$1"
    local aot_cache_hash aot_cache_training
    aot_training aot_cache_training
    remembered_fnv1a aot_cache_hash "${*:2} $aot_cache_training" "$POGO_ROOT/launcher/target/pogo/aot-name"
    aot_cache_into="$POGO_ROOT/launcher/target/pogo/pogo-$aot_cache_hash.aot"
}

# As fnv1a, but the last four texts hashed (the shell's options and `pogo run`'s, say) and their hashes are kept in the
# file $3, when it can be written: hashing the cache's name in bash, character by character, took 9-13 ms of CPU at
# every start (30-45 ms of wall time on a busy machine), reading the file back a fraction of a millisecond. Each hash
# is on the line before its text and the file is written in one piece: a run that reads it while another writes it
# finds a text cut short, or none, and hashes for itself.
remembered_fnv1a() {
    local -n remembered_into="$1"
    local remembered=() remembered_i remembered_hash
    { mapfile -t -n 8 remembered <"$3"; } 2>/dev/null
    for ((remembered_i = 0; remembered_i + 1 < ${#remembered[@]}; remembered_i += 2)); do
        if [ "${remembered[remembered_i + 1]}" = "$2" ] && [[ "${remembered[remembered_i]}" =~ ^[0-9]+$ ]]; then
            remembered_into="${remembered[remembered_i]}"
            return 0
        fi
    done
    fnv1a remembered_hash "$2"
    { printf '%s\n' "$remembered_hash" "$2" "${remembered[@]:0:6}" >"$3"; } 2>/dev/null
    remembered_into="$remembered_hash"
}

# The training run of the AOT cache: "linux", a boot of the Linux guest to its power-off with two harts and a disk (the
# bench's Linux row), where its images are built, else "hello", hello.elf. The cache holds what the training loads and
# the profiles of what it runs: trained on hello.elf alone, a Linux boot loaded the classes of the S-mode, SBI, CSR,
# MMU and virtio paths from their jars and interpreted them cold in the JVM (8 alternating pairs of the Linux row,
# load 2-4: user+sys CPU 4.60-6.19 s against 5.24-7.82 s). When the images appear, the cache's name changes and it is made
# again. Arguments: the variable to set.
aot_training() {
    local -n aot_training_into="$1"
    local linux="$POGO_ROOT/guests/linux/out"
    if [ -e "$linux/Image" ] && [ -e "$linux/initramfs.cpio" ] && [ -e "$linux/disk.img" ]; then
        aot_training_into=linux
    else
        aot_training_into=hello
    fi
}

# Sets the variable named $1 to the 32-bit FNV-1a hash of the characters of $2, in decimal: a name for a set of
# options, without a program.
fnv1a() {
    local -n fnv1a_into="$1"
    local fnv1a_text="$2" fnv1a_hash=2166136261 fnv1a_code fnv1a_i
    for ((fnv1a_i = 0; fnv1a_i < ${#fnv1a_text}; fnv1a_i++)); do
        printf -v fnv1a_code '%d' "'${fnv1a_text:fnv1a_i:1}"
        ((fnv1a_hash = ((fnv1a_hash ^ fnv1a_code) * 16777619) & 0xffffffff))
    done
    fnv1a_into="$fnv1a_hash"
}

# Arguments: the array to set to the options that use the cache (none while there is no cache), the JDK, the class
# path, then the JVM options.
aot_cache_options() {
    local -n aot_options_into="$1"
    local aot_options_cache
    aot_cache aot_options_cache "${@:2}"
    if [ -e "$aot_options_cache" ] && ! jar_newer_than "$aot_options_cache" &&
       [ ! "$2/lib/modules" -nt "$aot_options_cache" ]; then
        aot_options_into=("-XX:AOTCache=$aot_options_cache" -Xlog:aot=off,cds=off)
        return 0
    fi
    aot_options_into=()
    make_aot_cache "${@:2}" </dev/null >/dev/null 2>&1 &
}

# Whether a jar of the distribution is newer than the file given.
jar_newer_than() {
    local jar
    for jar in "$POGO_ROOT"/launcher/target/pogo/lib/*.jar "$POGO_ROOT"/launcher/target/pogo/bundles/*.jar; do
        [ "$jar" -nt "$1" ] && return 0
    done
    return 1
}

# Makes the AOT cache by a training run. Arguments: the JDK, the class path, then the JVM options.
make_aot_cache() {
    local jdk="$1" path="$2" dist="$POGO_ROOT/launcher/target/pogo" hello="$POGO_ROOT/guests/target/elf/hello.elf"
    local cache training linux="$POGO_ROOT/guests/linux/out"
    aot_cache cache "$@"
    aot_training training
    shift 2
    [ -e "$hello" ] && [ -d "$dist/lib" ] || return 0
    # Written beside the cache and renamed into place, so that a JVM never maps a cache half written. One training
    # at a time: the runs that find the cache stale while one is under way (a test suite starts dozens) go on
    # without it instead of each starting a JVM of its own beside them.
    (
        exec 9>"$cache.lock"
        if command -v flock >/dev/null; then
            flock -n 9 || exit 0
        fi
        work="$(mktemp -d)" || exit 0
        made="$cache.$$.tmp"
        trap 'rm -rf "$work" "$made"' EXIT
        # A run first makes the template of Felix's storage that later runs copy (launcher's StorageTemplate), so
        # that the training run starts as they do.
        local launch=(-Dpogo.root="$POGO_ROOT" -Dpogo.state="$work" -Dpogo.etc="$work" -cp "$path"
                      io.pogo.launcher.Pogo run) guest=(--bios none --kernel "$hello")
        # Each Linux run boots from a fresh copy of the disk, as the bench's does.
        [ "$training" = linux ] &&
            guest=(--smp 2 --mem 256M --kernel "$linux/Image" --initrd "$linux/initramfs.cpio"
                   --append 'console=ttyS0 pogo.quiet=1 pogo.run=true' --drive "file=$work/disk.img")
        [ "$training" = hello ] || cp "$linux/disk.img" "$work/disk.img" || exit 0
        "$jdk/bin/java" "$@" "${launch[@]}" "${guest[@]}" </dev/null >/dev/null 2>&1 || exit 0
        [ "$training" = hello ] || cp "$linux/disk.img" "$work/disk.img" || exit 0
        "$jdk/bin/java" "$@" -XX:AOTCacheOutput="$made" "${launch[@]}" "${guest[@]}" </dev/null >/dev/null 2>&1 &&
            mv -f "$made" "$cache"
    )
}
