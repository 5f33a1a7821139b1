/*
 * Intel 82599 10 GbE controller (ioat-nic): the register map
 *
 * Every register the model knows is one line of ioat_nic_regs[]: its
 * datasheet name and offset (section 8.2.3), how many instances and how
 * far apart, its reset value, which bits are read-only or act when
 * written, whether reading clears it, and a hook where access has side
 * effects.  An offset no line covers is unimplemented: it reads 0, ignores
 * writes and is reported once with LOG_UNIMP.  Lines flagged UNIMP name
 * registers that read back what was written but whose function the model
 * does not have; the first write to one of them that changes it from its
 * reset value is reported the same way.  Lines flagged UNCOUNTED are
 * statistics the model does not keep: they read 0, and the first read of
 * one is reported.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/bitmap.h"
#include "ioat_nic_int.h"
#include "trace.h"

/* One register */
#define R(nm, ...) \
    { .name = #nm, .base = A_##nm, .count = 1, .stride = 4, __VA_ARGS__ }
/* Instances n0 .. n0 + cnt - 1 of IOAT_NIC_<nm>(n) */
#define ARR(nm, n0, cnt, ...) \
    { .name = #nm, .base = IOAT_NIC_##nm(n0), .count = (cnt), .first = (n0), \
      .stride = IOAT_NIC_##nm((n0) + 1) - IOAT_NIC_##nm(n0), __VA_ARGS__ }
/* A legacy window: instance n is the register at IOAT_NIC_<target>(n) */
#define ALIAS(nm, target, cnt) \
    { .name = #nm, .base = IOAT_NIC_##nm(0), .count = (cnt), \
      .stride = IOAT_NIC_##nm(1) - IOAT_NIC_##nm(0), \
      .flags = IOAT_NIC_REG_ALIAS, .alias = IOAT_NIC_##target(0), \
      .alias_stride = IOAT_NIC_##target(1) - IOAT_NIC_##target(0) }

#define RO          .flags = IOAT_NIC_REG_RO
#define WO          .flags = IOAT_NIC_REG_WO
#define UNIMP(what) .flags = IOAT_NIC_REG_UNIMP, .unimp = (what)
#define UNCOUNTED(what) \
    .flags = IOAT_NIC_REG_RO | IOAT_NIC_REG_UNCOUNTED, .unimp = (what)
/* Statistics are read-only and clear on read (8.2.3.23) */
#define STAT        .flags = IOAT_NIC_REG_RO | IOAT_NIC_REG_RC
#define STAT36_LO(c) \
    .flags = IOAT_NIC_REG_RO | IOAT_NIC_REG_STAT36_LO, \
    .stat36 = offsetof(IoatNicCore, c)
#define STAT36_HI(c) \
    .flags = IOAT_NIC_REG_RO | IOAT_NIC_REG_STAT36_HI, \
    .stat36 = offsetof(IoatNicCore, c)
#define BASE_ADDR_LO_RO     0x7f    /* ring and buffer bases: 128-byte units */
#define RING_LEN_RO         (~IOAT_NIC_RING_LEN_MASK)
#define RING_INDEX_RO       (~IOAT_NIC_RING_INDEX_MASK)

#define FLOW_CONTROL        "flow control"
#define DCB                 "DCB arbitration"
#define DCA                 "direct cache access"
#define PACKET_BUFFERS      "packet buffer partitioning"
#define POOLS               "VMDq pools and SR-IOV"
#define MANAGEABILITY       "manageability"
#define SECURITY            "IPsec and MACsec offload"
#define QUEUE_STATS_MAP     "queue statistics mapping"
#define WAKE_UP             "wake-up"
#define LINK_SETUP          "link setup (the link is 10 Gb/s serial)"
#define UNFILTERED          "counts of good frames ahead of the filters"
#define DMA_SUBSETS         "the DMA's duplicate and pool-loopback counts"
#define TIME_SYNC           "IEEE 1588 time sync"

static const IoatNicReg ioat_nic_regs[] = {
    /* General control (8.2.3.1) */
    R(CTRL, .write = ioat_nic_write_ctrl),
    R(STATUS, RO, .read = ioat_nic_read_status),
    R(CTRL_EXT, .write = ioat_nic_write_ctrl_ext),
    R(ESDP, UNIMP("software-definable pins")),
    R(I2CCTL, UNIMP("the SFP I2C interface")),
    R(TCPTIMER, UNIMP("the TCP timer")),
    R(LEDCTL, UNIMP("LED control")),

    /* EEPROM, flash, semaphores, firmware (8.2.3.2, 8.2.3.26) */
    /* Present, auto-read done, 1K words; software drives only the pins */
    R(EEC, .reset = 0x00002710, .write = ioat_nic_write_eec,
      .ro = ~(R_EEC_SK_MASK | R_EEC_CS_MASK | R_EEC_DI_MASK | R_EEC_FWE_MASK |
              R_EEC_REQ_MASK)),
    R(EERD, .sc = R_EERD_START_MASK, .write = ioat_nic_write_eerd),
    R(FLA, UNIMP("the flash interface")),
    R(EEMNGCTL, RO),
    R(GRC),
    R(SWSM),
    R(FWSM, RO, .reset = 0x00008000),       /* firmware valid, no errors */
    R(FACTPS, RO),
    R(GSSR, .ro = R_GSSR_FW_MASK),  /* no firmware takes the semaphores */

    /* PCIe (8.2.3.4) */
    R(GCR),
    /* VT_MODE mirrors GPIE.VTMODE; pools follow MRQC and MTQC (7.10.2) */
    R(GCR_EXT),
    R(DCA_CTRL, UNIMP(DCA)),

    /* Interrupts (8.2.3.5) */
    R(EICR, .read = ioat_nic_read_eicr, .write = ioat_nic_write_eicr),
    R(EICS, .read = ioat_nic_read_eics, .write = ioat_nic_write_eics),
    R(EIAC),
    ARR(EITR, 0, 24, .ro = ~IOAT_NIC_EITR_RW, .write = ioat_nic_write_eitr),
    ARR(EITR, 24, 40, .ro = ~IOAT_NIC_EITR_RW, .write = ioat_nic_write_eitr),
    R(EIMS, .read = ioat_nic_read_eims, .write = ioat_nic_write_eims),
    R(EIMC, WO, .write = ioat_nic_write_eimc),
    R(EIAM, UNIMP("auto-masking on EICR reads in MSI and INTx mode")),
    R(EITRSEL, UNIMP(POOLS)),
    R(GPIE, .write = ioat_nic_write_gpie),
    ARR(IVAR, 0, 64),
    R(IVAR_MISC),
    R(EICS_EX0, WO, .write = ioat_nic_write_eics_ex),
    R(EICS_EX1, WO, .write = ioat_nic_write_eics_ex),
    R(EIMS_EX0, .read = ioat_nic_read_eims_ex, .write = ioat_nic_write_eims_ex),
    R(EIMS_EX1, .read = ioat_nic_read_eims_ex, .write = ioat_nic_write_eims_ex),
    R(EIMC_EX0, WO, .write = ioat_nic_write_eimc_ex),
    R(EIMC_EX1, WO, .write = ioat_nic_write_eimc_ex),
    R(EIAM_EX0),
    R(EIAM_EX1),

    /* Receive queues (8.2.3.8): queues 0-63 and 64-127 in two blocks */
    ARR(RDBAL, 0, 64, .ro = BASE_ADDR_LO_RO),
    ARR(RDBAL, 64, 64, .ro = BASE_ADDR_LO_RO),
    ARR(RDBAH, 0, 64),
    ARR(RDBAH, 64, 64),
    ARR(RDLEN, 0, 64, .ro = RING_LEN_RO),
    ARR(RDLEN, 64, 64, .ro = RING_LEN_RO),
    ARR(DCA_RXCTRL, 0, 64, UNIMP(DCA)),
    ARR(DCA_RXCTRL, 64, 64, UNIMP(DCA)),
    ARR(RDH, 0, 64, .ro = RING_INDEX_RO),
    ARR(RDH, 64, 64, .ro = RING_INDEX_RO),
    ARR(SRRCTL, 0, 64),
    ARR(SRRCTL, 64, 64),
    ARR(RDT, 0, 64, .ro = RING_INDEX_RO, .write = ioat_nic_write_rdt),
    ARR(RDT, 64, 64, .ro = RING_INDEX_RO, .write = ioat_nic_write_rdt),
    ARR(RXDCTL, 0, 64, .sc = R_RXDCTL_SWFLSH_MASK,
        .write = ioat_nic_write_rxdctl),
    ARR(RXDCTL, 64, 64, .sc = R_RXDCTL_SWFLSH_MASK,
        .write = ioat_nic_write_rxdctl),
    ARR(RSCCTL, 0, 64, .ro = ~(R_RSCCTL_RSCEN_MASK | R_RSCCTL_MAXDESC_MASK),
        .write = ioat_nic_write_rscctl),
    ARR(RSCCTL, 64, 64, .ro = ~(R_RSCCTL_RSCEN_MASK | R_RSCCTL_MAXDESC_MASK),
        .write = ioat_nic_write_rscctl),
    ALIAS(SRRCTL_ALIAS, SRRCTL, 16),
    ALIAS(DCA_RXCTRL_ALIAS, DCA_RXCTRL, 16),
    ARR(RQSMR, 0, 32, UNIMP(QUEUE_STATS_MAP)),
    /* RSCACKDIS holds: segments without payload never coalesce */
    R(RSCDBU),
    R(RDRXCTL, .ro = R_RDRXCTL_DMAIDONE_MASK, .reset = R_RDRXCTL_DMAIDONE_MASK),
    R(PFQDE, .read = ioat_nic_read_pfqde, .write = ioat_nic_write_pfqde),
    R(RXCTRL, .write = ioat_nic_write_rxctrl),
    R(RXPBSIZE0, UNIMP(PACKET_BUFFERS), .reset = 0x00080000),   /* 512 KiB */
    ARR(RXPBSIZE, 1, 7, UNIMP(PACKET_BUFFERS)),
    R(DROPEN, UNIMP("per-queue drop enable")),

    /* Receive filtering and steering (8.2.3.7) */
    R(RXCSUM),
    R(RFCTL, .write = ioat_nic_write_rfctl),
    R(FCTRL),
    R(VLNCTRL, .reset = 0x00008100),
    R(MCSTCTRL),
    ARR(ETQF, 0, IOAT_NIC_NUM_ETQF),
    ARR(ETQS, 0, IOAT_NIC_NUM_ETQF),
    ARR(MTA, 0, 128),
    ALIAS(RAL_ALIAS, RAL, 16),
    ALIAS(RAH_ALIAS, RAH, 16),
    ALIAS(PSRTYPE_ALIAS, PSRTYPE, 16),

    /* Pools (7.10, ioat_nic_pool.c) */
    R(VT_CTL, .ro = 0x9fffe07e),            /* reserved bits */
    ARR(PFVFRE, 0, 2),
    ARR(PFVFTE, 0, 2, .write = ioat_nic_write_pfvfte),
    ARR(PFVMVIR, 0, IOAT_NIC_NUM_POOLS),
    ARR(PFVFSPOOF, 0, 8),
    ARR(VMECM, 0, 2),
    ARR(PVFGPRC, 0, IOAT_NIC_NUM_POOLS, RO, .read = ioat_nic_read_pool_stat),
    ARR(PVFGORC_LSB, 0, IOAT_NIC_NUM_POOLS, RO,
        .read = ioat_nic_read_pool_stat),
    ARR(PVFGORC_MSB, 0, IOAT_NIC_NUM_POOLS, RO,
        .read = ioat_nic_read_pool_stat),
    ARR(PVFMPRC, 0, IOAT_NIC_NUM_POOLS, RO, .read = ioat_nic_read_pool_stat),
    ARR(PVFGPTC, 0, IOAT_NIC_NUM_POOLS, RO, .read = ioat_nic_read_pool_stat),
    ARR(PVFGOTC_LSB, 0, IOAT_NIC_NUM_POOLS, RO,
        .read = ioat_nic_read_pool_stat),
    ARR(PVFGOTC_MSB, 0, IOAT_NIC_NUM_POOLS, RO,
        .read = ioat_nic_read_pool_stat),

    /* PF/VF mailbox (ioat_nic_mbx.c) */
    ARR(PFMAILBOX, 0, IOAT_NIC_NUM_VFS, .sc = IOAT_NIC_PFMAILBOX_STS |
        IOAT_NIC_PFMAILBOX_ACK | IOAT_NIC_PFMAILBOX_RVFU,
        .read = ioat_nic_read_pfmailbox, .write = ioat_nic_write_pfmailbox),
    ARR(PFMBMEM, 0, IOAT_NIC_NUM_VFS * IOAT_NIC_MBX_WORDS,
        .write = ioat_nic_write_pfmbmem),
    ARR(PFMBICR, 0, 4, .flags = IOAT_NIC_REG_W1C),
    ARR(PFMBIMR, 0, 4, UNIMP("masking a VF's mailbox interrupts")),
    R(VFLRE0, RO, .read = ioat_nic_read_vflre),
    R(VFLRE1, RO, .read = ioat_nic_read_vflre),
    R(VFLREC0, .read = ioat_nic_read_vflre, .write = ioat_nic_write_vflrec),
    R(VFLREC1, .read = ioat_nic_read_vflre, .write = ioat_nic_write_vflrec),
    R(MRQC, .write = ioat_nic_write_mrqc),
    ARR(RETA, 0, 32),
    ARR(RSSRK, 0, 10),
    ARR(VFTA, 0, 128),
    ARR(RAL, 0, IOAT_NIC_NUM_RAR),
    ARR(RAH, 0, IOAT_NIC_NUM_RAR, .ro = ~IOAT_NIC_RAH_WMASK),
    ARR(MPSAR, 0, 256),
    ARR(PSRTYPE, 0, 64),
    ARR(SAQF, 0, IOAT_NIC_NUM_FIVE_TUPLE),
    ARR(DAQF, 0, IOAT_NIC_NUM_FIVE_TUPLE),
    ARR(SDPQF, 0, IOAT_NIC_NUM_FIVE_TUPLE),
    ARR(FTQF, 0, IOAT_NIC_NUM_FIVE_TUPLE, .ro = 0x01ffc0e0,   /* reserved */
        .write = ioat_nic_write_five_tuple),
    ARR(L34T_IMIR, 0, IOAT_NIC_NUM_FIVE_TUPLE, .ro = 0xf0000fff,
        .write = ioat_nic_write_five_tuple),
    R(SYNQF, .ro = 0x7fffff00),
    R(IMIRVP, .ro = ~0xfu),
    R(LLITHRESH, .ro = ~R_LLITHRESH_SIZE_MASK),
    ARR(VMOLR, 0, IOAT_NIC_NUM_POOLS),
    ARR(VLVF, 0, IOAT_NIC_NUM_VLVF, .ro = 0x7ffff000),
    ARR(VLVFB, 0, 2 * IOAT_NIC_NUM_VLVF),
    ARR(UTA, 0, 128),

    /* Flow control (8.2.3.3) */
    R(PFCTOP, UNIMP(FLOW_CONTROL)),
    ARR(FCTTV, 0, 4, UNIMP(FLOW_CONTROL)),
    ARR(FCRTL, 0, 8, UNIMP(FLOW_CONTROL)),
    ARR(FCRTH, 0, 8, UNIMP(FLOW_CONTROL)),
    R(FCRTV, UNIMP(FLOW_CONTROL)),
    R(FCCFG, UNIMP(FLOW_CONTROL)),
    R(MFLCN, UNIMP(FLOW_CONTROL)),

    /* MAC, PCS and auto-negotiation (8.2.3.22) */
    R(PCS1GCFIG, UNIMP("the 1 GbE PCS")),
    R(PCS1GLCTL, UNIMP("the 1 GbE PCS")),
    R(PCS1GLSTA, RO),
    R(PCS1GANA, UNIMP("the 1 GbE PCS")),
    R(PCS1GANLP, RO),
    R(HLREG0, .reset = 0x00002fff),
    R(HLREG1, RO),
    R(PAP, UNIMP(FLOW_CONTROL)),
    R(MSCA, .sc = R_MSCA_MDI_COMMAND_MASK, .write = ioat_nic_write_msca),
    R(MSRWD),
    R(MAXFRS, .reset = 0x05ee0000),                 /* 1518 bytes */
    R(AUTOC, .sc = R_AUTOC_AN_RESTART_MASK,
      .reset = 0x00002100),                         /* 10G serial, no AN */
    R(LINKS, RO, .read = ioat_nic_read_links),
    R(AUTOC2, UNIMP(LINK_SETUP)),
    R(AUTOC3, UNIMP(LINK_SETUP)),
    R(ANLP1, RO, .reset = 0x00010c00),              /* AN_STATE != 0 */
    R(ANLP2, RO),
    R(MACC, UNIMP("MAC control overrides")),

    /* Transmit queues and DMA (8.2.3.9) */
    ARR(TDBAL, 0, IOAT_NIC_NUM_QUEUES, .ro = BASE_ADDR_LO_RO),
    ARR(TDBAH, 0, IOAT_NIC_NUM_QUEUES),
    ARR(TDLEN, 0, IOAT_NIC_NUM_QUEUES, .ro = RING_LEN_RO),
    ARR(DCA_TXCTRL, 0, IOAT_NIC_NUM_QUEUES, UNIMP(DCA)),
    ARR(TDH, 0, IOAT_NIC_NUM_QUEUES, .ro = RING_INDEX_RO),
    ARR(TDT, 0, IOAT_NIC_NUM_QUEUES, .ro = RING_INDEX_RO,
        .write = ioat_nic_write_tdt),
    ARR(TXDCTL, 0, IOAT_NIC_NUM_QUEUES, .sc = R_TXDCTL_SWFLSH_MASK,
        .write = ioat_nic_write_txdctl),
    ARR(TDWBAL, 0, IOAT_NIC_NUM_QUEUES, .ro = 0x2),   /* bit 1 reserved */
    ARR(TDWBAH, 0, IOAT_NIC_NUM_QUEUES),
    R(DMATXCTL, .reset = 0x81000000,                /* VLAN ethertype 0x8100 */
      .write = ioat_nic_write_dmatxctl),
    R(DTXTCPFLGL, UNIMP("TSO TCP flag masks")),
    R(DTXTCPFLGH, UNIMP("TSO TCP flag masks")),
    R(DTXMXSZRQ, UNIMP("transmit DMA request size limits")),
    R(MTQC),
    R(PFDTXGSWC, .ro = ~R_PFDTXGSWC_LBEN_MASK),
    ARR(TQSM, 0, 32, UNIMP(QUEUE_STATS_MAP)),
    R(TXPBSIZE0, UNIMP(PACKET_BUFFERS), .reset = 0x00028000),   /* 160 KiB */
    ARR(TXPBSIZE, 1, 7, UNIMP(PACKET_BUFFERS)),
    ARR(TXPBTHRESH, 0, 8, UNIMP(PACKET_BUFFERS)),

    /* DCB arbiters (8.2.3.10, 8.2.3.11) */
    R(RTTDCS, UNIMP(DCB)),
    R(RTTDQSEL, UNIMP(DCB)),
    R(RTTDT1C, UNIMP(DCB)),
    ARR(RTTDT2C, 0, 8, UNIMP(DCB)),
    R(RTTBCNRC, UNIMP(DCB)),
    R(RTTUP2TC, UNIMP(DCB)),
    R(RTTPCS, UNIMP(DCB)),
    ARR(RTTPT2C, 0, 8, UNIMP(DCB)),
    R(RTRPCS, UNIMP(DCB)),
    ARR(RTRPT4C, 0, 8, UNIMP(DCB)),
    R(RTRUP2TC, UNIMP(DCB)),

    /* Security (8.2.3.25): the blocks report ready, offload off */
    R(SECTXCTRL, UNIMP(SECURITY)),
    R(SECTXSTAT, RO, .reset = 0x00000003),
    R(SECTXBUFFAF, UNIMP(SECURITY)),
    R(SECTXMINIFG, UNIMP(SECURITY)),
    R(SECRXCTRL, UNIMP(SECURITY)),
    R(SECRXSTAT, RO, .reset = 0x00000003),

    /* Manageability (8.2.3.26): no firmware, so the host interface is off */
    R(MANC, UNIMP(MANAGEABILITY)),
    R(MFVAL, UNIMP(MANAGEABILITY)),
    R(MANC2H, UNIMP(MANAGEABILITY)),
    R(HICR, UNIMP(MANAGEABILITY)),
    R(FWSTS, .flags = IOAT_NIC_REG_W1C),

    /* Wake-up (8.2.3.24) */
    R(WUC, UNIMP(WAKE_UP)),
    R(WUFC, UNIMP(WAKE_UP)),
    R(WUS, UNIMP(WAKE_UP)),

    /* IEEE 1588 time sync (8.2.3.27): the clock does not run */
    R(RXMTRL, UNIMP(TIME_SYNC)),
    R(TSYNCRXCTL, UNIMP(TIME_SYNC)),
    R(RXSTMPH, RO),
    R(RXSTMPL, RO),
    R(TSYNCTXCTL, UNIMP(TIME_SYNC)),
    R(TXSTMPL, RO),
    R(TXSTMPH, RO),
    R(SYSTIML, UNIMP(TIME_SYNC)),
    R(SYSTIMH, UNIMP(TIME_SYNC)),
    R(TIMINCA, UNIMP(TIME_SYNC)),
    R(TIMADJL, UNIMP(TIME_SYNC)),
    R(TIMADJH, UNIMP(TIME_SYNC)),
    R(TSAUXC, UNIMP(TIME_SYNC)),

    /* Flow Director (8.2.3.21) */
    R(FDIRCTRL, .write = ioat_nic_write_fdirctrl),
    ARR(FDIRSIPV6, 0, 3),
    R(FDIRIPSA),
    R(FDIRIPDA),
    R(FDIRPORT),
    R(FDIRVLAN),
    R(FDIRHASH),
    R(FDIRCMD, .write = ioat_nic_write_fdircmd),
    R(FDIRFREE, .ro = R_FDIRFREE_FREE_MASK, .read = ioat_nic_read_fdirfree),
    R(FDIRDIP4M),
    R(FDIRSIP4M),
    R(FDIRTCPM),
    R(FDIRUDPM),
    R(FDIRLEN, STAT),
    R(FDIRUSTAT, STAT),
    R(FDIRFSTAT, STAT),
    R(FDIRMATCH, STAT),
    R(FDIRMISS, STAT),
    R(FDIRHKEY),
    R(FDIRSKEY),
    R(FDIRM),
    R(FDIRIP6M),
    R(FDIRSCTPM, UNIMP("SCTP port masks")),

    /* Statistics (8.2.3.23) */
    R(CRCERRS, STAT),
    R(ILLERRC, STAT),
    R(ERRBC, STAT),
    R(MSPDC, STAT),
    R(MLFC, STAT),
    R(MRFC, STAT),
    R(RLEC, STAT),
    R(LXONTXC, STAT),
    R(LXOFFTXC, STAT),
    R(LXONRXCNT, STAT),
    R(LXOFFRXCNT, STAT),
    ARR(PXONTXC, 0, 8, STAT),
    ARR(PXOFFTXC, 0, 8, STAT),
    ARR(PXONRXCNT, 0, 8, STAT),
    ARR(PXOFFRXCNT, 0, 8, STAT),
    ARR(PXON2OFFCNT, 0, 8, STAT),
    ARR(MPC, 0, 8, STAT),
    ARR(RNBC, 0, 8, UNCOUNTED("frames that found no free descriptor")),
    R(PRC64, STAT),
    R(PRC127, STAT),
    R(PRC255, STAT),
    R(PRC511, STAT),
    R(PRC1023, STAT),
    R(PRC1522, STAT),
    R(GPRC, STAT),
    R(BPRC, STAT),
    R(MPRC, STAT),
    R(GPTC, STAT),
    R(GORCL, STAT36_LO(gorc)),
    R(GORCH, STAT36_HI(gorc)),
    R(GOTCL, STAT36_LO(gotc)),
    R(GOTCH, STAT36_HI(gotc)),
    R(RUC, STAT),
    R(RFC, STAT),
    R(ROC, STAT),
    R(RJC, STAT),
    R(MNGPRC, STAT),
    R(MNGPDC, STAT),
    R(MNGPTC, STAT),
    R(TORL, STAT36_LO(tor)),
    R(TORH, STAT36_HI(tor)),
    R(TPR, STAT),
    R(TPT, STAT),
    R(PTC64, STAT),
    R(PTC127, STAT),
    R(PTC255, STAT),
    R(PTC511, STAT),
    R(PTC1023, STAT),
    R(PTC1522, STAT),
    R(MPTC, STAT),
    R(BPTC, STAT),
    R(XEC, STAT),
    R(RXNFGPC, UNCOUNTED(UNFILTERED)),
    R(RXNFGBCL, UNCOUNTED(UNFILTERED)),
    R(RXNFGBCH, UNCOUNTED(UNFILTERED)),
    R(B2OSPC, STAT),
    R(O2BGPTC, STAT),
    R(SSVPC, STAT),
    R(FCCRC, STAT),
    R(FCOERPDC, STAT),
    R(FCLAST, STAT),
    R(FCOEPRC, STAT),
    R(FCOEDWRC, STAT),
    R(FCOEPTC, STAT),
    R(FCOEDWTC, STAT),
    R(O2BSPC, STAT),
    R(B2OGPRC, STAT),
    /* The DMA's counters (8.2.3.23): frames written to or read from the host */
    R(RXDGPC, STAT),
    R(RXDGBCL, STAT36_LO(rxdgbc)),
    R(RXDGBCH, STAT36_HI(rxdgbc)),
    R(RXDDGPC, UNCOUNTED(DMA_SUBSETS)),
    R(RXDDGBCL, UNCOUNTED(DMA_SUBSETS)),
    R(RXDDGBCH, UNCOUNTED(DMA_SUBSETS)),
    R(RXLPBKGPC, UNCOUNTED(DMA_SUBSETS)),
    R(RXLPBKGBCL, UNCOUNTED(DMA_SUBSETS)),
    R(RXLPBKGBCH, UNCOUNTED(DMA_SUBSETS)),
    R(RXDLPBKGPC, UNCOUNTED(DMA_SUBSETS)),
    R(RXDLPBKGBCL, UNCOUNTED(DMA_SUBSETS)),
    R(RXDLPBKGBCH, UNCOUNTED(DMA_SUBSETS)),
    R(TXDGPC, STAT),
    R(TXDGBCL, STAT36_LO(txdgbc)),
    R(TXDGBCH, STAT36_HI(txdgbc)),
    /* Per-queue counters of the first 16 queues, inside the queue blocks */
    ARR(QPRC, 0, IOAT_NIC_NUM_STAT_QUEUES, STAT),
    ARR(QPRDC, 0, IOAT_NIC_NUM_STAT_QUEUES, STAT),
    ARR(QBRC_L, 0, IOAT_NIC_NUM_STAT_QUEUES, STAT36_LO(qbrc)),
    ARR(QBRC_H, 0, IOAT_NIC_NUM_STAT_QUEUES, STAT36_HI(qbrc)),
    ARR(QPTC, 0, IOAT_NIC_NUM_STAT_QUEUES, STAT),
    ARR(QBTC_L, 0, IOAT_NIC_NUM_STAT_QUEUES, STAT36_LO(qbtc)),
    ARR(QBTC_H, 0, IOAT_NIC_NUM_STAT_QUEUES, STAT36_HI(qbtc)),
};

/* BAR0 dword -> 1 + index into ioat_nic_regs[], 0 where nothing is */
static uint16_t ioat_nic_reg_at[IOAT_NIC_MAC_WORDS];

/* Fill the lookup once; two lines claiming one offset is a bug here. */
void ioat_nic_regs_init(void)
{
    static bool done;

    QEMU_BUILD_BUG_ON(ARRAY_SIZE(ioat_nic_regs) >= UINT16_MAX);
    if (done) {
        return;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(ioat_nic_regs); i++) {
        const IoatNicReg *r = &ioat_nic_regs[i];

        assert(r->count && r->stride >= 4 && !(r->stride & 3));
        for (unsigned k = 0; k < r->count; k++) {
            hwaddr a = r->base + (hwaddr)k * r->stride;

            assert(a < IOAT_NIC_REG_SPACE && !(a & 3));
            assert(!ioat_nic_reg_at[a >> 2]);
            ioat_nic_reg_at[a >> 2] = i + 1;
        }
    }
    done = true;
}

/*
 * The register at @addr and its instance number; an alias is resolved
 * to the register it names and @addr updated to that register's offset.
 */
const IoatNicReg *ioat_nic_reg_decode(hwaddr *addr, unsigned *n)
{
    const IoatNicReg *r;

    if (*addr >= IOAT_NIC_REG_SPACE || !ioat_nic_reg_at[*addr >> 2]) {
        return NULL;
    }
    r = &ioat_nic_regs[ioat_nic_reg_at[*addr >> 2] - 1];
    *n = r->first + (*addr - r->base) / r->stride;
    if (r->flags & IOAT_NIC_REG_ALIAS) {
        *addr = r->alias + (hwaddr)*n * r->alias_stride;
        r = &ioat_nic_regs[ioat_nic_reg_at[*addr >> 2] - 1];
    }
    return r;
}

/* Power-on values of every register (8.2.3, each register's table). */
void ioat_nic_regs_reset(IoatNicCore *core)
{
    memset(core->mac, 0, sizeof(core->mac));
    for (unsigned i = 0; i < ARRAY_SIZE(ioat_nic_regs); i++) {
        const IoatNicReg *r = &ioat_nic_regs[i];

        if (!r->reset) {
            continue;
        }
        for (unsigned k = 0; k < r->count; k++) {
            core->mac[(r->base + k * r->stride) >> 2] = r->reset;
        }
    }
}

static uint64_t *ioat_nic_stat36_counter(IoatNicCore *core,
                                         const IoatNicReg *reg, unsigned n)
{
    return (uint64_t *)((uint8_t *)core + reg->stat36) + (n - reg->first);
}

/* What a read returns, with its side effects (read-to-clear). */
uint32_t ioat_nic_reg_load(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr)
{
    uint32_t val;

    if (reg->flags & IOAT_NIC_REG_WO) {
        return 0;
    }
    if (reg->read) {
        return reg->read(core, reg, n, addr);
    }
    if (reg->flags & (IOAT_NIC_REG_STAT36_LO | IOAT_NIC_REG_STAT36_HI)) {
        uint64_t *c = ioat_nic_stat36_counter(core, reg, n);

        if (reg->flags & IOAT_NIC_REG_STAT36_LO) {
            return *c;
        }
        val = *c >> 32;
        *c = 0;
        return val;
    }
    val = core->mac[addr >> 2];
    if (reg->flags & IOAT_NIC_REG_RC) {
        core->mac[addr >> 2] = 0;
    }
    return val;
}

/* A plain write: read-only bits keep their value, self-clearing ones drop. */
void ioat_nic_reg_store(IoatNicCore *core, const IoatNicReg *reg,
                        hwaddr addr, uint32_t val)
{
    uint32_t *p = &core->mac[addr >> 2];

    if (reg->flags & IOAT_NIC_REG_W1C) {
        *p &= ~(val & ~reg->ro);
        return;
    }
    *p = ((*p & reg->ro) | (val & ~reg->ro)) & ~reg->sc;
}

/* True the first time @addr is reported as unimplemented. */
bool ioat_nic_report_unimp_once(IoatNicCore *core, hwaddr addr)
{
    if (test_bit(addr >> 2, core->unimp_reported)) {
        return false;
    }
    set_bit(addr >> 2, core->unimp_reported);
    return true;
}
