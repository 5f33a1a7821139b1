# The devices built into our qemu-system-x86_64.  scripts/build-qemu installs
# this file as configs/devices/x86_64-softmmu/ioat.mak and configures with
# --without-default-devices --with-devices-x86_64=ioat, so only what is
# listed here (and what it selects in Kconfig) is compiled.  A device that
# is not listed does not exist in the binary: add it here when a test, a
# benchmark or a documented command line starts using it.

# Machines: pc for the qtests (qos-test's x86_64/pc node) and
# benchmarks/dma_qtest_bench.py; q35 for tests/guest/run, ./ioat boot and
# ./ioat shell.  Each selects its chipset, ISA serial port, fw_cfg (-kernel)
# and ACPI.
CONFIG_I440FX=y
CONFIG_Q35=y

# Our devices.  Their Kconfig entries (scripts/qemu-integration.patch) only
# default to y with PCI_DEVICES, which --without-default-devices leaves off.
CONFIG_IOAT_NIC=y
CONFIG_IOAT_DMA=y

# The NICs benchmarks/nic-throughput compares ioat-nic with.
CONFIG_IGB_PCI_EXPRESS=y
CONFIG_E1000E_PCI_EXPRESS=y
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_NET=y

# Bridges, to place a device behind a PCIe root port or a PCI-PCI bridge
# (-device pcie-root-port,id=rp0 -device ioat-nic,bus=rp0,...).
CONFIG_PCIE_PORT=y
CONFIG_PCI_BRIDGE=y

# The default NIC model of pc (e1000) and the default display of both
# machines, so a plain "-M pc" or "-M q35" without -nodefaults starts.
CONFIG_E1000_PCI=y
CONFIG_VGA_PCI=y

# Intel VT-d (-device intel-iommu on q35), to run the DMA engine behind an
# IOMMU (tests/guest/cases/ioatdma-iommu.sh).
CONFIG_VTD=y
