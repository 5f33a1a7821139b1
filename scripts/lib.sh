# Shared settings for the ioat scripts.  Sourced, not run.
IOAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IOAT_BUILD=${IOAT_BUILD:-$IOAT_ROOT/build}
# Stamps and locks (scripts/export-patches builds a second tree under another
# IOAT_BUILD and keeps this one).
IOAT_STATE=${IOAT_STATE:-$IOAT_BUILD/state}
# Debian's qemu source package: suite and upstream series we build from.
# The exact Debian version used is pinned in qemu-version at the top level.
IOAT_QEMU_SUITE=trixie
IOAT_QEMU_SERIES=10.0
# The overlaid QEMU tree, its build directory, and the wrapper that adds
# the firmware search paths (its name ends in -system-x86_64 so qtest's
# QTEST_QEMU_BINARY can point at it).
# IOAT_SANITIZE=1 selects the second build of the same tree, with ASan and
# UBSan (scripts/build-qemu --sanitize; scripts/run-qtests uses it).
IOAT_QEMU_SRC=$IOAT_BUILD/qemu
# IOAT_FUZZ=1 selects the third, built with clang for libFuzzer (ASan and
# UBSan too), which makes only qemu-fuzz-x86_64 (scripts/fuzz).
if [ -n "${IOAT_FUZZ:-}" ]; then
    IOAT_QEMU_BUILD=$IOAT_QEMU_SRC/build-fuzz
    IOAT_QEMU=
elif [ -n "${IOAT_SANITIZE:-}" ]; then
    IOAT_QEMU_BUILD=$IOAT_QEMU_SRC/build-san
    IOAT_QEMU=$IOAT_BUILD/bin-san/qemu-system-x86_64
else
    IOAT_QEMU_BUILD=$IOAT_QEMU_SRC/build
    # IOAT_QEMU_BINARY: another build's wrapper for the guest runs (e.g. a
    # baseline a benchmark compares against); the default is this tree's.
    IOAT_QEMU=${IOAT_QEMU_BINARY:-$IOAT_BUILD/bin/qemu-system-x86_64}
fi
# Guest side: unpacked kernel, out-of-tree modules, initramfs.
IOAT_GUEST=$IOAT_BUILD/guest

log() { printf '[ioat %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[ioat] error: %s\n' "$*" >&2; exit 1; }
