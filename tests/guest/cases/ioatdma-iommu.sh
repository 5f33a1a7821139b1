# ioat-iommu: on
# ioatdma-iommu: ioat-dma behind an emulated VT-d (q35 + intel-iommu with
# interrupt remapping, the guest booted with intel_iommu=on and strict
# IOTLB invalidation), so that every descriptor fetch, copy and completion
# write of the engine is translated.  The stock ioatdma probes and
# dmatest (copy, and xor and pq threads when the device has them) passes
# on every channel with no DMAR fault.  Then the function is handed to
# vfio-pci and tests/guest/tools/ioat-dma-vfio drives channel 0 from user
# space at IOVAs of its own: copies and fills verified byte for byte,
# descriptors whose source, destination, next descriptor, completion
# record or chain address is unmapped (or read-only) halt the channel with
# the matching CHANERR bit, the error record and the error interrupt, and
# recover at the right descriptor; then 10,000 copies.  Every step of the
# tool is one check here.  The IOMMU must have reported DMAR faults for
# the tool's unmapped IOVAs, and the kernel no warnings.

. /ioat/lib/dma.sh

DMA=8086:0b00
CAP=/sys/class/dma/dma0chan0/quickdata/cap
TOOL_TIMEOUT=120
# The unmapped IOVA range of ioat-dma-vfio (IOVA_HOLE: 0x4200800000 up)
HOLE_PATTERN='fault addr 0x42008[0-9a-f]{5}'

dev=$(pci_devices "$DMA" | head -n 1)
check ioat-dma-present [ -n "$dev" ]
bdf=${dev##*/}

# The IOMMU is on and the function is behind it, alone in its group, in a
# translated (not identity) domain with strict invalidation.
check iommu-dmar-unit sh -c 'ls -d /sys/class/iommu/dmar* > /dev/null'
check iommu-interrupt-remapping dmesg_has 'DMAR-IR: Enabled IRQ remapping'
group=$(basename "$(readlink "$dev/iommu_group" 2>/dev/null)")
check ioat-dma-in-iommu-group test -n "$group"
groupdir=/sys/kernel/iommu_groups/$group
info "IOMMU group $group: $(ls "$groupdir/devices" 2>/dev/null | xargs), domain $(cat "$groupdir/type" 2>/dev/null)"
check iommu-group-alone test "$(ls "$groupdir/devices" | wc -l)" = 1
check iommu-domain-translated-strict grep -qx DMA "$groupdir/type"

dmar_faults() {
    case_dmesg | grep -cE 'DMAR: \[DMA (Read|Write)'
}

# The stock driver through translation
has_cap() {
    grep -qw "$1" $CAP
}
load_ioatdma() {
    modprobe ioatdma &&
        pci_bound "$DMA" ioatdma &&
        ! dmesg_has 'Self-test|init failed|failed to start channel|Channel halted'
}
# dmatest_check NAME ITERATIONS: a copy thread per channel, plus xor and pq
# threads when the device has those
dmatest_check() {
    local name=$1 iterations=$2 kinds=1
    has_cap xor && kinds=$((kinds + 1))
    has_cap pq && kinds=$((kinds + 1))
    check "$name" dmatest_run "$iterations" $((kinds * $(dma_channels)))
    dmatest_info
}

check ioatdma-probes load_ioatdma
check ioatdma-four-channels test "$(dma_channels)" = 4
info "capabilities: $(cat $CAP 2>/dev/null)"
dmatest_check dmatest-250-through-iommu 250
check dmatest-no-dmar-faults test "$(dmar_faults)" = 0

# Hand the function to vfio-pci: ioatdma out (dmatest is unloaded), the
# driver override, a probe.  vfio_iommu_type1 backs the container.
bind_vfio() {
    rmmod ioatdma &&
        modprobe vfio_iommu_type1 &&
        modprobe vfio_pci || return 1
    echo vfio-pci > "$dev/driver_override"
    echo "$bdf" > /sys/bus/pci/drivers_probe
    pci_bound "$DMA" vfio-pci && test -c "/dev/vfio/$group"
}
check vfio-pci-bound bind_vfio

faults_before=$(dmar_faults)
start=$(date +%s)
relay_tool ioat-dma-vfio-exit-status "$TOOL_TIMEOUT" ioat-dma-vfio "$bdf"
info "ioat-dma-vfio ran in $(($(date +%s) - start)) s"

# The faults went through VT-d: the kernel's DMAR fault handler logged
# them, at the tool's unmapped IOVAs (at most 10 in 5 s are printed).
case_dmesg | grep -E 'DMAR: \[DMA (Read|Write)' | tail -n +$((faults_before + 1)) |
    head -n 8 | while read -r line; do info "${line#*] }"; done
check dmar-faults-at-unmapped-iovas dmesg_has "DMAR: \[DMA (Read|Write).*($HOLE_PATTERN)"

# Back to ioatdma: the function works for the kernel again.
rebind_ioatdma() {
    echo "$bdf" > "$dev/driver/unbind"
    echo > "$dev/driver_override"
    load_ioatdma
}
check ioatdma-rebinds-after-vfio rebind_ioatdma &&
    dmatest_check dmatest-100-after-vfio 100

check no-kernel-warnings no_kernel_messages 'WARNING|Call Trace|BUG|Oops|Channel halted'
