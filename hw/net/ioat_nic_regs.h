/*
 * Intel 82599 10 GbE controller (ioat-nic): register map and descriptors
 *
 * Offsets are BAR0 byte offsets from the 82599 datasheet, section 8.2;
 * R_<name> is the register's index in IoatNicCore.mac[].  Registers that
 * exist once per queue, vector or filter entry are given as base and stride.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IOAT_NIC_REGS_H
#define HW_NET_IOAT_NIC_REGS_H

#include "qemu/units.h"
#include "hw/registerfields.h"

/* General control (8.2.3.1) */
REG32(CTRL, 0x00000)
    FIELD(CTRL, GIO_DIS, 2, 1)
    FIELD(CTRL, LNK_RST, 3, 1)
    FIELD(CTRL, RST, 26, 1)
REG32(STATUS, 0x00008)
    FIELD(STATUS, LAN_ID, 2, 2)
    FIELD(STATUS, LINK_UP, 7, 1)
    FIELD(STATUS, GIO_MASTER_EN, 19, 1)
REG32(CTRL_EXT, 0x00018)
    FIELD(CTRL_EXT, PFRSTD, 14, 1)      /* PF reset done: VFs may start */
REG32(ESDP, 0x00020)
REG32(I2CCTL, 0x00028)
REG32(TCPTIMER, 0x0004c)
REG32(LEDCTL, 0x00200)

/* Interrupts (8.2.3.5) */
REG32(EICR, 0x00800)
    FIELD(EICR, RTXQ, 0, 16)
    FIELD(EICR, FLOW_DIR, 16, 1)
    FIELD(EICR, MAILBOX, 19, 1)
    FIELD(EICR, LSC, 20, 1)
    FIELD(EICR, TCP_TIMER, 30, 1)
    FIELD(EICR, OTHER, 31, 1)
REG32(EICS, 0x00808)
REG32(EIAC, 0x00810)
REG32(EIMS, 0x00880)
REG32(EIMC, 0x00888)
REG32(EIAM, 0x00890)
REG32(GPIE, 0x00898)
    FIELD(GPIE, MSIX_MODE, 4, 1)
    FIELD(GPIE, OCD, 5, 1)
    FIELD(GPIE, LL_INTERVAL, 7, 4)
    FIELD(GPIE, RSC_DELAY, 11, 3)
    FIELD(GPIE, EIAME, 30, 1)
    FIELD(GPIE, PBA_SUPPORT, 31, 1)
REG32(EITRSEL, 0x00894)
REG32(IVAR_MISC, 0x00a00)
REG32(EICS_EX0, 0x00a90)
REG32(EICS_EX1, 0x00a94)
REG32(EIMS_EX0, 0x00aa0)
REG32(EIMS_EX1, 0x00aa4)
REG32(EIMC_EX0, 0x00ab0)
REG32(EIMC_EX1, 0x00ab4)
REG32(EIAM_EX0, 0x00ad0)
REG32(EIAM_EX1, 0x00ad4)

#define IOAT_NIC_EITR_LO(v)         (0x00820 + 4 * (v))     /* v < 24 */
#define IOAT_NIC_EITR_HI(v)         (0x12300 + 4 * ((v) - 24))
#define IOAT_NIC_EITR(v)            ((v) < 24 ? IOAT_NIC_EITR_LO(v) \
                                              : IOAT_NIC_EITR_HI(v))
#define IOAT_NIC_EITR_ITR_MASK      0x00000ff8  /* 2 us units << 3 */
#define IOAT_NIC_EITR_LLI_MOD       (1u << 15)
#define IOAT_NIC_EITR_CNT_WDIS      (1u << 31)
#define IOAT_NIC_EITR_RW            (IOAT_NIC_EITR_ITR_MASK | \
                                     IOAT_NIC_EITR_LLI_MOD | \
                                     IOAT_NIC_EITR_CNT_WDIS)
#define IOAT_NIC_IVAR(n)            (0x00900 + 4 * (n))     /* n < 64 */
#define IOAT_NIC_IVAR_VALID         0x80
#define IOAT_NIC_IVAR_VECTOR_MASK   0x3f

/* Receive (8.2.3.8) */
#define IOAT_NIC_QUEUE_STRIDE       0x40
#define IOAT_NIC_RXQ_BASE(q) \
    ((q) < 64 ? 0x01000 + IOAT_NIC_QUEUE_STRIDE * (q) \
              : 0x0d000 + IOAT_NIC_QUEUE_STRIDE * ((q) - 64))
/* Offsets inside receive queue q's block at IOAT_NIC_RXQ_BASE(q) */
#define IOAT_NIC_RXQ_OFF_RDBAL      0x00
#define IOAT_NIC_RXQ_OFF_RDBAH      0x04
#define IOAT_NIC_RXQ_OFF_RDLEN      0x08
#define IOAT_NIC_RXQ_OFF_DCA_RXCTRL 0x0c
#define IOAT_NIC_RXQ_OFF_RDH        0x10
#define IOAT_NIC_RXQ_OFF_SRRCTL     0x14
#define IOAT_NIC_RXQ_OFF_RDT        0x18
#define IOAT_NIC_RXQ_OFF_RXDCTL     0x28
#define IOAT_NIC_RXQ_OFF_RSCCTL     0x2c
/* Absolute BAR0 offsets of queue q's receive registers */
#define IOAT_NIC_RXQ_REG(q, r)  (IOAT_NIC_RXQ_BASE(q) + IOAT_NIC_RXQ_OFF_##r)
#define IOAT_NIC_RDBAL(q)           IOAT_NIC_RXQ_REG(q, RDBAL)
#define IOAT_NIC_RDBAH(q)           IOAT_NIC_RXQ_REG(q, RDBAH)
#define IOAT_NIC_RDLEN(q)           IOAT_NIC_RXQ_REG(q, RDLEN)
#define IOAT_NIC_DCA_RXCTRL(q)      IOAT_NIC_RXQ_REG(q, DCA_RXCTRL)
#define IOAT_NIC_RDH(q)             IOAT_NIC_RXQ_REG(q, RDH)
#define IOAT_NIC_SRRCTL(q)          IOAT_NIC_RXQ_REG(q, SRRCTL)
#define IOAT_NIC_RDT(q)             IOAT_NIC_RXQ_REG(q, RDT)
#define IOAT_NIC_RXDCTL(q)          IOAT_NIC_RXQ_REG(q, RXDCTL)
#define IOAT_NIC_RSCCTL(q)          IOAT_NIC_RXQ_REG(q, RSCCTL)
#define IOAT_NIC_QPRC(i)            (0x01030 + 0x40 * (i))  /* i < 16 */
#define IOAT_NIC_QPRDC(i)           (0x01430 + 0x40 * (i))
#define IOAT_NIC_QBRC_L(i)          (0x01034 + 0x40 * (i))
#define IOAT_NIC_QBRC_H(i)          (0x01038 + 0x40 * (i))
/* Legacy aliases used by the driver for the first 16 queues. */
#define IOAT_NIC_SRRCTL_ALIAS(q)    (0x02100 + 4 * (q))
#define IOAT_NIC_DCA_RXCTRL_ALIAS(q) (0x02200 + 4 * (q))
#define IOAT_NIC_RQSMR(i)           (0x02300 + 4 * (i))     /* i < 32 */

FIELD(SRRCTL, BSIZEPKT, 0, 5)           /* 1 KiB units */
FIELD(SRRCTL, BSIZEHDR, 8, 6)           /* 64 byte units */
FIELD(SRRCTL, DESCTYPE, 25, 3)
FIELD(SRRCTL, DROP_EN, 28, 1)
#define IOAT_NIC_DESCTYPE_LEGACY        0
#define IOAT_NIC_DESCTYPE_ONEBUF        1
#define IOAT_NIC_DESCTYPE_HDR_SPLIT     2
#define IOAT_NIC_DESCTYPE_SPLIT_ALWAYS  5

FIELD(RXDCTL, ENABLE, 25, 1)
FIELD(RXDCTL, SWFLSH, 26, 1)
FIELD(RXDCTL, VME, 30, 1)

/* Receive side coalescing (7.11, 8.2.3.8.13) */
FIELD(RSCCTL, RSCEN, 0, 1)
FIELD(RSCCTL, MAXDESC, 2, 2)            /* 1, 4, 8 or 16 descriptors */

REG32(RSCDBU, 0x03028)
REG32(RDRXCTL, 0x02f00)
    FIELD(RDRXCTL, CRCSTRIP, 1, 1)
    FIELD(RDRXCTL, DMAIDONE, 3, 1)
    FIELD(RDRXCTL, RSCLLIDIS, 23, 1)
REG32(PFQDE, 0x02f04)                   /* per-queue drop enable */
    FIELD(PFQDE, ENABLE, 0, 1)
    FIELD(PFQDE, HIDE_VLAN, 1, 1)
    FIELD(PFQDE, IDX, 8, 7)
    FIELD(PFQDE, WRITE, 16, 1)
REG32(RXCTRL, 0x03000)
    FIELD(RXCTRL, RXEN, 0, 1)
REG32(RTRUP2TC, 0x03020)
REG32(RXPBSIZE0, 0x03c00)
#define IOAT_NIC_RXPBSIZE(i)        (0x03c00 + 4 * (i))     /* i < 8 */
REG32(DROPEN, 0x03d04)
#define IOAT_NIC_RTRPT4C(i)         (0x02140 + 4 * (i))     /* i < 8 */
REG32(RTRPCS, 0x02430)
REG32(RXCSUM, 0x05000)
    FIELD(RXCSUM, PCSS, 0, 8)
    FIELD(RXCSUM, PCSD, 13, 1)
REG32(RFCTL, 0x05008)
    FIELD(RFCTL, RSC_DIS, 5, 1)
REG32(FCTRL, 0x05080)
    FIELD(FCTRL, SBP, 1, 1)
    FIELD(FCTRL, MPE, 8, 1)
    FIELD(FCTRL, UPE, 9, 1)
    FIELD(FCTRL, BAM, 10, 1)
REG32(VLNCTRL, 0x05088)
    FIELD(VLNCTRL, VET, 0, 16)
    FIELD(VLNCTRL, CFIEN, 29, 1)
    FIELD(VLNCTRL, VFE, 30, 1)
REG32(MCSTCTRL, 0x05090)
    FIELD(MCSTCTRL, MO, 0, 2)
    FIELD(MCSTCTRL, MFE, 2, 1)
/*
 * PF/VF mailbox: one 64-byte buffer per VF, PFMBMEM(n) in the PF's BAR0
 * and VFMBMEM in VF n's, and the ownership bits of PFMAILBOX(n) and
 * VFMAILBOX.  PFMBICR(i) latches VF 16i+j's requests (bit j) and
 * acknowledgements (bit 16+j).
 */
#define IOAT_NIC_PFMAILBOX(n)       (0x04b00 + 4 * (n))
#define IOAT_NIC_PFMAILBOX_STS      BIT(0)  /* message for the VF */
#define IOAT_NIC_PFMAILBOX_ACK      BIT(1)  /* the VF's message taken */
#define IOAT_NIC_PFMAILBOX_VFU      BIT(2)  /* the VF holds the buffer */
#define IOAT_NIC_PFMAILBOX_PFU      BIT(3)  /* the PF holds the buffer */
#define IOAT_NIC_PFMAILBOX_RVFU     BIT(4)  /* take the buffer from the VF */
#define IOAT_NIC_PFMBMEM(i)         (0x13000 + 4 * (i))     /* dword i */
#define IOAT_NIC_MBX_WORDS          16
#define IOAT_NIC_PFMBICR(n)         (0x00710 + 4 * (n))
#define IOAT_NIC_PFMBIMR(n)         (0x00720 + 4 * (n))
#define IOAT_NIC_NUM_VFS            64
#define IOAT_NIC_VF_MSIX_VECTORS    3

/* VF function level resets, VFs 0-31 and 32-63; VFLREC clears (W1C) */
REG32(VFLRE0, 0x00600)
REG32(VFLRE1, 0x001c0)
REG32(VFLREC0, 0x00700)
REG32(VFLREC1, 0x00704)

/* In a VF's BAR0 */
#define IOAT_NIC_VFMBMEM            0x00200
#define IOAT_NIC_VFMAILBOX          0x002fc
#define IOAT_NIC_VFMAILBOX_REQ      BIT(0)  /* message for the PF */
#define IOAT_NIC_VFMAILBOX_ACK      BIT(1)  /* the PF's message taken */
#define IOAT_NIC_VFMAILBOX_VFU      BIT(2)
#define IOAT_NIC_VFMAILBOX_PFU      BIT(3)
#define IOAT_NIC_VFMAILBOX_PFSTS    BIT(4)  /* read clears */
#define IOAT_NIC_VFMAILBOX_PFACK    BIT(5)  /* read clears */
#define IOAT_NIC_VFMAILBOX_RSTI     BIT(6)  /* PF not ready (!PFRSTD) */
#define IOAT_NIC_VFMAILBOX_RSTD     BIT(7)  /* PF became ready; read clears */

/* Virtualization: pools (7.10, 8.2.3.27) */
REG32(VT_CTL, 0x051b0)                  /* PFVTCTL */
    FIELD(VT_CTL, VT_EN, 0, 1)
    FIELD(VT_CTL, DEF_PL, 7, 6)         /* the default pool */
    FIELD(VT_CTL, DIS_DEFPL, 29, 1)
    FIELD(VT_CTL, REPLEN, 30, 1)        /* replicate multicast/broadcast */
#define IOAT_NIC_PFVFRE(i)          (0x051e0 + 4 * (i))     /* i < 2 */
#define IOAT_NIC_PFVFTE(i)          (0x08110 + 4 * (i))     /* i < 2 */
#define IOAT_NIC_PFVMVIR(n)         (0x08000 + 4 * (n))     /* n < 64 */
FIELD(PFVMVIR, TAG, 0, 16)
FIELD(PFVMVIR, VLANA, 30, 2)
#define IOAT_NIC_VLANA_DEFAULT      1   /* always insert the pool's tag */
#define IOAT_NIC_VLANA_NEVER        2   /* never insert a tag */
#define IOAT_NIC_PFVFSPOOF(i)       (0x08200 + 4 * (i))     /* i < 8 */
#define IOAT_NIC_VMECM(i)           (0x08790 + 4 * (i))     /* i < 2 */
/* Per-pool counters; PVFGPRC/PVFGORC_LSB sit in RX queue block n at +0x1c */
#define IOAT_NIC_PVFGPRC(n)         (0x0101c + 0x40 * (n))
#define IOAT_NIC_PVFGORC_LSB(n)     (0x01020 + 0x40 * (n))
#define IOAT_NIC_PVFGORC_MSB(n)     (0x0d020 + 0x40 * (n))
#define IOAT_NIC_PVFMPRC(n)         (0x0d01c + 0x40 * (n))
#define IOAT_NIC_PVFGPTC(n)         (0x08300 + 4 * (n))
#define IOAT_NIC_PVFGOTC_LSB(n)     (0x08400 + 8 * (n))
#define IOAT_NIC_PVFGOTC_MSB(n)     (0x08404 + 8 * (n))
#define IOAT_NIC_NUM_POOLS          64
REG32(MANC, 0x05820)
REG32(MFVAL, 0x05824)
REG32(MANC2H, 0x05860)
REG32(MRQC, 0x05818)
    FIELD(MRQC, MRQE, 0, 4)
    FIELD(MRQC, TCPIPV4, 16, 1)
    FIELD(MRQC, IPV4, 17, 1)
    FIELD(MRQC, IPV6, 20, 1)
    FIELD(MRQC, TCPIPV6, 21, 1)
    FIELD(MRQC, UDPIPV4, 22, 1)
    FIELD(MRQC, UDPIPV6, 23, 1)
#define IOAT_NIC_MRQE_RSS           1
#define IOAT_NIC_MRQE_DCB8_RSS      2
#define IOAT_NIC_MRQE_DCB4_RSS      3
#define IOAT_NIC_MRQE_VMDQ          8   /* pools, no RSS */
#define IOAT_NIC_MRQE_VMDQ_RSS32    0xa /* 32 pools of 4 queues, RSS */
#define IOAT_NIC_MRQE_VMDQ_RSS64    0xb /* 64 pools of 2 queues, RSS */
#define IOAT_NIC_MRQE_VMDQ_DCB8     0xc /* 16 pools, 8 traffic classes */
#define IOAT_NIC_MRQE_VMDQ_DCB4     0xd /* 32 pools, 4 traffic classes */
#define IOAT_NIC_MTA(i)             (0x05200 + 4 * (i))     /* i < 128 */
#define IOAT_NIC_PSRTYPE(q)         (0x0ea00 + 4 * (q))
#define IOAT_NIC_PSRTYPE_ALIAS(q)   (0x05480 + 4 * (q))     /* q < 16 */
/* PSRTYPE: which headers header split may split after (8.2.3.7.4) */
#define IOAT_NIC_PSRTYPE_TCPHDR     (1u << 4)
#define IOAT_NIC_PSRTYPE_UDPHDR     (1u << 5)
#define IOAT_NIC_PSRTYPE_IPV4HDR    (1u << 8)
#define IOAT_NIC_PSRTYPE_IPV6HDR    (1u << 9)
/* EtherType queue filters (8.2.3.7.16, 8.2.3.7.17) */
#define IOAT_NIC_ETQF(n)            (0x05128 + 4 * (n))     /* n < 8 */
#define IOAT_NIC_ETQS(n)            (0x0ec00 + 4 * (n))
#define IOAT_NIC_NUM_ETQF           8
FIELD(ETQF, ETYPE, 0, 16)
FIELD(ETQF, FILTER_EN, 31, 1)
FIELD(ETQS, RX_QUEUE, 16, 7)
FIELD(ETQS, LLI, 29, 1)
FIELD(ETQS, QUEUE_EN, 31, 1)
#define IOAT_NIC_RETA(i)            (0x05c00 + 4 * (i))     /* i < 32 */
#define IOAT_NIC_RSSRK(i)           (0x05c80 + 4 * (i))     /* i < 10 */
#define IOAT_NIC_VFTA(i)            (0x0a000 + 4 * (i))     /* i < 128 */
#define IOAT_NIC_RAL(n)             (0x0a200 + 8 * (n))     /* n < 128 */
#define IOAT_NIC_RAH(n)             (0x0a204 + 8 * (n))
#define IOAT_NIC_RAL_ALIAS(n)       (0x05400 + 8 * (n))     /* n < 16 */
#define IOAT_NIC_RAH_ALIAS(n)       (0x05404 + 8 * (n))
#define IOAT_NIC_RAH_WMASK          0x8000ffff
/* RAR n's pools: MPSAR(2n) pools 0-31, MPSAR(2n + 1) pools 32-63 */
#define IOAT_NIC_MPSAR(i)           (0x0a600 + 4 * (i))     /* i < 256 */
#define IOAT_NIC_VMOLR(i)           (0x0f000 + 4 * (i))     /* i < 64 */
FIELD(VMOLR, AUPE, 24, 1)               /* accept untagged frames */
FIELD(VMOLR, ROMPE, 25, 1)              /* accept MTA hits */
FIELD(VMOLR, ROPE, 26, 1)               /* accept UTA hits */
FIELD(VMOLR, BAM, 27, 1)                /* accept broadcast */
FIELD(VMOLR, MPE, 28, 1)                /* accept all multicast */
#define IOAT_NIC_VLVF(i)            (0x0f100 + 4 * (i))     /* i < 64 */
FIELD(VLVF, VID, 0, 12)
FIELD(VLVF, VIEN, 31, 1)
/* VLVF j's pools: VLVFB(2j) pools 0-31, VLVFB(2j + 1) pools 32-63 */
#define IOAT_NIC_VLVFB(i)           (0x0f200 + 4 * (i))     /* i < 128 */
#define IOAT_NIC_NUM_VLVF           64
#define IOAT_NIC_UTA(i)             (0x0f400 + 4 * (i))     /* i < 128 */
/* 5-tuple and SYN filters (8.2.3.7.12-15, 8.2.3.7.19) */
#define IOAT_NIC_SAQF(i)            (0x0e000 + 4 * (i))     /* i < 128 */
#define IOAT_NIC_DAQF(i)            (0x0e200 + 4 * (i))
#define IOAT_NIC_SDPQF(i)           (0x0e400 + 4 * (i))
#define IOAT_NIC_FTQF(i)            (0x0e600 + 4 * (i))
#define IOAT_NIC_L34T_IMIR(i)       (0x0e800 + 4 * (i))
FIELD(FTQF, PROTOCOL, 0, 2)
FIELD(FTQF, PRIORITY, 2, 3)
FIELD(FTQF, POOL, 8, 6)
FIELD(FTQF, MASK, 25, 5)            /* 1: field not compared */
FIELD(FTQF, POOL_MASK, 30, 1)
FIELD(FTQF, QUEUE_EN, 31, 1)
#define IOAT_NIC_FTQF_MASK_SRC_ADDR     (1 << 0)
#define IOAT_NIC_FTQF_MASK_DST_ADDR     (1 << 1)
#define IOAT_NIC_FTQF_MASK_SRC_PORT     (1 << 2)
#define IOAT_NIC_FTQF_MASK_DST_PORT     (1 << 3)
#define IOAT_NIC_FTQF_MASK_PROTOCOL     (1 << 4)
#define IOAT_NIC_FTQF_PROTO_TCP         0
#define IOAT_NIC_FTQF_PROTO_UDP         1
#define IOAT_NIC_FTQF_PROTO_SCTP        2
#define IOAT_NIC_FTQF_PROTO_OTHER       3
FIELD(SDPQF, SRC_PORT, 0, 16)       /* network byte order */
FIELD(SDPQF, DST_PORT, 16, 16)
FIELD(L34T_IMIR, SIZE_BP, 12, 1)
FIELD(L34T_IMIR, TCP_FLAGS, 13, 6)  /* URG ACK PSH RST SYN FIN */
FIELD(L34T_IMIR, CTRL_BP, 19, 1)
FIELD(L34T_IMIR, LLI, 20, 1)
FIELD(L34T_IMIR, RX_QUEUE, 21, 7)
#define IOAT_NIC_NUM_FIVE_TUPLE     128
REG32(SYNQF, 0x0ec30)
    FIELD(SYNQF, QUEUE_EN, 0, 1)
    FIELD(SYNQF, RX_QUEUE, 1, 7)
    FIELD(SYNQF, SYNQFP, 31, 1)     /* before the 5-tuple filters */
/* Low latency interrupts (7.3.2.2) */
REG32(IMIRVP, 0x0ec60)
    FIELD(IMIRVP, PRIORITY, 0, 3)
    FIELD(IMIRVP, PRIORITY_EN, 3, 1)
REG32(LLITHRESH, 0x0ec90)
    FIELD(LLITHRESH, SIZE, 0, 12)
REG32(RAL0, 0x0a200)
REG32(RAH0, 0x0a204)
    FIELD(RAH0, ADDR_HI, 0, 16)
    FIELD(RAH0, AV, 31, 1)
#define IOAT_NIC_NUM_RAR            128

/* MAC (8.2.3.22) */
REG32(HLREG0, 0x04240)
    FIELD(HLREG0, TXCRCEN, 0, 1)
    FIELD(HLREG0, RXCRCSTRP, 1, 1)
    FIELD(HLREG0, JUMBOEN, 2, 1)
    FIELD(HLREG0, TXPADEN, 10, 1)
    FIELD(HLREG0, LPBK, 15, 1)
REG32(MAXFRS, 0x04268)
    FIELD(MAXFRS, MFS, 16, 16)
REG32(PCS1GCFIG, 0x04200)
REG32(PCS1GLCTL, 0x04208)
REG32(PCS1GLSTA, 0x0420c)
REG32(PCS1GANA, 0x04218)
REG32(PCS1GANLP, 0x0421c)
REG32(HLREG1, 0x04244)
REG32(PAP, 0x04248)
REG32(MFLCN, 0x04294)
REG32(MACC, 0x04330)
REG32(MSCA, 0x0425c)
    FIELD(MSCA, OPCODE, 26, 2)
    FIELD(MSCA, MDI_COMMAND, 30, 1)
REG32(MSRWD, 0x04260)
REG32(AUTOC, 0x042a0)
    FIELD(AUTOC, FLU, 0, 1)
    FIELD(AUTOC, AN_RESTART, 12, 1)
REG32(LINKS, 0x042a4)
    FIELD(LINKS, SPEED, 28, 2)
    FIELD(LINKS, UP, 30, 1)
    FIELD(LINKS, KX_AN_COMP, 31, 1)
REG32(AUTOC2, 0x042a8)
REG32(AUTOC3, 0x042ac)
REG32(ANLP1, 0x042b0)
REG32(ANLP2, 0x042b4)
/* Flow control (8.2.3.3) */
#define IOAT_NIC_FCTTV(i)           (0x03200 + 4 * (i))     /* i < 4 */
#define IOAT_NIC_FCRTL(i)           (0x03220 + 4 * (i))     /* i < 8 */
#define IOAT_NIC_FCRTH(i)           (0x03260 + 4 * (i))
REG32(PFCTOP, 0x03008)
REG32(FCRTV, 0x032a0)
REG32(FCCFG, 0x03d00)
#define IOAT_NIC_LINKS_SPEED_10G    3
#define IOAT_NIC_MSCA_OP_READ       3

/* Transmit (8.2.3.9) */
#define IOAT_NIC_TXQ_BASE(q)        (0x06000 + IOAT_NIC_QUEUE_STRIDE * (q))
/* Offsets inside transmit queue q's block at IOAT_NIC_TXQ_BASE(q) */
#define IOAT_NIC_TXQ_OFF_TDBAL      0x00
#define IOAT_NIC_TXQ_OFF_TDBAH      0x04
#define IOAT_NIC_TXQ_OFF_TDLEN      0x08
#define IOAT_NIC_TXQ_OFF_DCA_TXCTRL 0x0c
#define IOAT_NIC_TXQ_OFF_TDH        0x10
#define IOAT_NIC_TXQ_OFF_TDT        0x18
#define IOAT_NIC_TXQ_OFF_TXDCTL     0x28
#define IOAT_NIC_TXQ_OFF_TDWBAL     0x38
#define IOAT_NIC_TXQ_OFF_TDWBAH     0x3c
/* Absolute BAR0 offsets of queue q's transmit registers */
#define IOAT_NIC_TXQ_REG(q, r)  (IOAT_NIC_TXQ_BASE(q) + IOAT_NIC_TXQ_OFF_##r)
#define IOAT_NIC_TDBAL(q)           IOAT_NIC_TXQ_REG(q, TDBAL)
#define IOAT_NIC_TDBAH(q)           IOAT_NIC_TXQ_REG(q, TDBAH)
#define IOAT_NIC_TDLEN(q)           IOAT_NIC_TXQ_REG(q, TDLEN)
#define IOAT_NIC_DCA_TXCTRL(q)      IOAT_NIC_TXQ_REG(q, DCA_TXCTRL)
#define IOAT_NIC_TDH(q)             IOAT_NIC_TXQ_REG(q, TDH)
#define IOAT_NIC_TDT(q)             IOAT_NIC_TXQ_REG(q, TDT)
#define IOAT_NIC_TXDCTL(q)          IOAT_NIC_TXQ_REG(q, TXDCTL)
#define IOAT_NIC_TDWBAL(q)          IOAT_NIC_TXQ_REG(q, TDWBAL)
#define IOAT_NIC_TDWBAH(q)          IOAT_NIC_TXQ_REG(q, TDWBAH)
#define IOAT_NIC_QPTC(i)            (0x06030 + 0x40 * (i))  /* i < 16 */
#define IOAT_NIC_TQSM(i)            (0x08600 + 4 * (i))     /* i < 32 */
#define IOAT_NIC_QBTC_L(i)          (0x08700 + 8 * (i))
#define IOAT_NIC_QBTC_H(i)          (0x08704 + 8 * (i))
FIELD(TXDCTL, ENABLE, 25, 1)
FIELD(TXDCTL, SWFLSH, 26, 1)
FIELD(TDWBAL, HEAD_WB_EN, 0, 1)

REG32(DMATXCTL, 0x04a80)
    FIELD(DMATXCTL, TE, 0, 1)
    FIELD(DMATXCTL, VT, 16, 16)
REG32(DTXTCPFLGL, 0x04a88)
REG32(DTXTCPFLGH, 0x04a8c)
REG32(DTXMXSZRQ, 0x08100)
REG32(MTQC, 0x08120)
    FIELD(MTQC, RT_ENA, 0, 1)
    FIELD(MTQC, VT_ENA, 1, 1)
    FIELD(MTQC, NUM_TC_OR_Q, 2, 2)
REG32(PFDTXGSWC, 0x08220)
    FIELD(PFDTXGSWC, LBEN, 0, 1)        /* switch between pools */
REG32(TXPBSIZE0, 0x0cc00)
#define IOAT_NIC_TXPBSIZE(i)        (0x0cc00 + 4 * (i))     /* i < 8 */
#define IOAT_NIC_TXPBTHRESH(i)      (0x04950 + 4 * (i))     /* i < 8 */

/* DCB transmit and receive arbiters (8.2.3.10, 8.2.3.11) */
REG32(RTTDCS, 0x04900)
REG32(RTTDQSEL, 0x04904)
REG32(RTTDT1C, 0x04908)
#define IOAT_NIC_RTTDT2C(i)         (0x04910 + 4 * (i))     /* i < 8 */
REG32(RTTBCNRC, 0x04984)
REG32(RTTUP2TC, 0x0c800)
REG32(RTTPCS, 0x0cd00)
#define IOAT_NIC_RTTPT2C(i)         (0x0cd20 + 4 * (i))     /* i < 8 */

/* IEEE 1588 time sync (8.2.3.27) */
REG32(RXMTRL, 0x05120)
REG32(TSYNCRXCTL, 0x05188)
REG32(RXSTMPH, 0x051a4)
REG32(RXSTMPL, 0x051e8)
REG32(TSYNCTXCTL, 0x08c00)
REG32(TXSTMPL, 0x08c04)
REG32(TXSTMPH, 0x08c08)
REG32(SYSTIML, 0x08c0c)
REG32(SYSTIMH, 0x08c10)
REG32(TIMINCA, 0x08c14)
REG32(TIMADJL, 0x08c18)
REG32(TIMADJH, 0x08c1c)
REG32(TSAUXC, 0x08c20)

/* Wake-up (8.2.3.24) */
REG32(WUC, 0x05800)
REG32(WUFC, 0x05808)
REG32(WUS, 0x05810)

/* Security (8.2.3.25) */
REG32(SECTXCTRL, 0x08800)
REG32(SECTXSTAT, 0x08804)
REG32(SECTXBUFFAF, 0x08808)
REG32(SECTXMINIFG, 0x08810)
REG32(SECRXCTRL, 0x08d00)
REG32(SECRXSTAT, 0x08d04)

/* Flow Director (8.2.3.21) */
REG32(FDIRCTRL, 0x0ee00)
    FIELD(FDIRCTRL, PBALLOC, 0, 2)
    FIELD(FDIRCTRL, INIT_DONE, 3, 1)
    FIELD(FDIRCTRL, PERFECT_MATCH, 4, 1)
    FIELD(FDIRCTRL, REPORT_STATUS, 5, 1)
    FIELD(FDIRCTRL, REPORT_STATUS_ALWAYS, 7, 1)
    FIELD(FDIRCTRL, DROP_QUEUE, 8, 7)
    FIELD(FDIRCTRL, FLEX_OFFSET, 16, 5)
    FIELD(FDIRCTRL, MAX_LENGTH, 24, 4)
    FIELD(FDIRCTRL, FULL_THRESH, 28, 4)
#define IOAT_NIC_FDIRSIPV6(i)       (0x0ee0c + 4 * (i))     /* i < 3 */
REG32(FDIRIPSA, 0x0ee18)
REG32(FDIRIPDA, 0x0ee1c)
REG32(FDIRPORT, 0x0ee20)
    FIELD(FDIRPORT, SOURCE, 0, 16)
    FIELD(FDIRPORT, DESTINATION, 16, 16)
REG32(FDIRVLAN, 0x0ee24)
    FIELD(FDIRVLAN, VLAN, 0, 16)
    FIELD(FDIRVLAN, FLEX, 16, 16)
REG32(FDIRHASH, 0x0ee28)
    FIELD(FDIRHASH, HASH, 0, 15)
    FIELD(FDIRHASH, BUCKET_VALID, 15, 1)
    FIELD(FDIRHASH, SIG_SW_INDEX, 16, 16)
REG32(FDIRCMD, 0x0ee2c)
    FIELD(FDIRCMD, CMD, 0, 2)
    FIELD(FDIRCMD, FILTER_VALID, 2, 1)
    FIELD(FDIRCMD, FILTER_UPDATE, 3, 1)
    FIELD(FDIRCMD, IPV6DMATCH, 4, 1)
    FIELD(FDIRCMD, L4TYPE, 5, 2)
    FIELD(FDIRCMD, IPV6, 7, 1)
    FIELD(FDIRCMD, CLEARHT, 8, 1)
    FIELD(FDIRCMD, DROP, 9, 1)
    FIELD(FDIRCMD, INT, 10, 1)
    FIELD(FDIRCMD, LAST, 11, 1)
    FIELD(FDIRCMD, COLLISION, 12, 1)
    FIELD(FDIRCMD, QUEUE_EN, 15, 1)
    FIELD(FDIRCMD, RX_QUEUE, 16, 7)
    FIELD(FDIRCMD, TUNNEL_FILTER, 23, 1)
    FIELD(FDIRCMD, VT_POOL, 24, 6)
#define IOAT_NIC_FDIRCMD_ADD        1
#define IOAT_NIC_FDIRCMD_REMOVE     2
#define IOAT_NIC_FDIRCMD_QUERY      3
#define IOAT_NIC_FDIR_L4_OTHER      0
#define IOAT_NIC_FDIR_L4_UDP        1
#define IOAT_NIC_FDIR_L4_TCP        2
#define IOAT_NIC_FDIR_L4_SCTP       3
REG32(FDIRFREE, 0x0ee38)
    FIELD(FDIRFREE, FREE, 0, 16)
    FIELD(FDIRFREE, COLL, 16, 15)
REG32(FDIRDIP4M, 0x0ee3c)
REG32(FDIRSIP4M, 0x0ee40)
REG32(FDIRTCPM, 0x0ee44)
REG32(FDIRUDPM, 0x0ee48)
REG32(FDIRLEN, 0x0ee4c)
    FIELD(FDIRLEN, MAXLEN, 0, 6)
    FIELD(FDIRLEN, MAXHASH, 16, 15)
REG32(FDIRUSTAT, 0x0ee50)
    FIELD(FDIRUSTAT, ADD, 0, 16)
    FIELD(FDIRUSTAT, REMOVE, 16, 16)
REG32(FDIRFSTAT, 0x0ee54)
    FIELD(FDIRFSTAT, FADD, 0, 8)
    FIELD(FDIRFSTAT, FREMOVE, 8, 8)
REG32(FDIRMATCH, 0x0ee58)
REG32(FDIRMISS, 0x0ee5c)
REG32(FDIRHKEY, 0x0ee68)
REG32(FDIRSKEY, 0x0ee6c)
REG32(FDIRM, 0x0ee70)             /* 1: field not compared */
    FIELD(FDIRM, VLANID, 0, 1)
    FIELD(FDIRM, VLANP, 1, 1)
    FIELD(FDIRM, POOL, 2, 1)
    FIELD(FDIRM, L4P, 3, 1)
    FIELD(FDIRM, FLEX, 4, 1)
    FIELD(FDIRM, DIPV6, 5, 1)
REG32(FDIRIP6M, 0x0ee74)
REG32(FDIRSCTPM, 0x0ee78)

/* Statistics (8.2.3.23) */
REG32(CRCERRS, 0x04000)
REG32(ILLERRC, 0x04004)
REG32(ERRBC, 0x04008)
REG32(MSPDC, 0x04010)
REG32(MLFC, 0x04034)
REG32(MRFC, 0x04038)
REG32(RLEC, 0x04040)
REG32(LXONTXC, 0x03f60)
REG32(LXOFFTXC, 0x03f68)
REG32(LXONRXCNT, 0x041a4)
REG32(LXOFFRXCNT, 0x041a8)
#define IOAT_NIC_PXONTXC(i)         (0x03f00 + 4 * (i))     /* i < 8 */
#define IOAT_NIC_PXOFFTXC(i)        (0x03f20 + 4 * (i))
#define IOAT_NIC_PXONRXCNT(i)       (0x04140 + 4 * (i))
#define IOAT_NIC_PXOFFRXCNT(i)      (0x04160 + 4 * (i))
#define IOAT_NIC_PXON2OFFCNT(i)     (0x03240 + 4 * (i))
REG32(PRC64, 0x0405c)      /* then PRC127/255/511/1023/1522 at +4 each */
REG32(PRC127, 0x04060)
REG32(PRC255, 0x04064)
REG32(PRC511, 0x04068)
REG32(PRC1023, 0x0406c)
REG32(PRC1522, 0x04070)
REG32(GPRC, 0x04074)
REG32(BPRC, 0x04078)
REG32(MPRC, 0x0407c)
REG32(GPTC, 0x04080)
REG32(GORCL, 0x04088)
REG32(GORCH, 0x0408c)
REG32(GOTCL, 0x04090)
REG32(GOTCH, 0x04094)
REG32(RUC, 0x040a4)
REG32(RFC, 0x040a8)
REG32(ROC, 0x040ac)
REG32(RJC, 0x040b0)
REG32(MNGPRC, 0x040b4)
REG32(MNGPDC, 0x040b8)
REG32(MNGPTC, 0x0cf90)
REG32(TORL, 0x040c0)
REG32(TORH, 0x040c4)
REG32(TPR, 0x040d0)
REG32(TPT, 0x040d4)
REG32(PTC64, 0x040d8)      /* then PTC127/255/511/1023/1522 at +4 each */
REG32(PTC127, 0x040dc)
REG32(PTC255, 0x040e0)
REG32(PTC511, 0x040e4)
REG32(PTC1023, 0x040e8)
REG32(PTC1522, 0x040ec)
REG32(MPTC, 0x040f0)
REG32(BPTC, 0x040f4)
REG32(XEC, 0x04120)
REG32(RXNFGPC, 0x041b0)
REG32(RXNFGBCL, 0x041b4)
REG32(RXNFGBCH, 0x041b8)
REG32(B2OSPC, 0x041c0)
REG32(O2BGPTC, 0x041c4)
REG32(SSVPC, 0x08780)
REG32(FCCRC, 0x05118)
REG32(FCOERPDC, 0x0241c)
REG32(FCLAST, 0x02424)
REG32(FCOEPRC, 0x02428)
REG32(FCOEDWRC, 0x0242c)
REG32(FCOEPTC, 0x08784)
REG32(FCOEDWTC, 0x08788)
REG32(O2BSPC, 0x087b0)
REG32(B2OGPRC, 0x02f90)
REG32(RXDGPC, 0x02f50)
REG32(RXDGBCL, 0x02f54)
REG32(RXDGBCH, 0x02f58)
REG32(RXDDGPC, 0x02f5c)
REG32(RXDDGBCL, 0x02f60)
REG32(RXDDGBCH, 0x02f64)
REG32(RXLPBKGPC, 0x02f68)
REG32(RXLPBKGBCL, 0x02f6c)
REG32(RXLPBKGBCH, 0x02f70)
REG32(RXDLPBKGPC, 0x02f74)
REG32(RXDLPBKGBCL, 0x02f78)
REG32(RXDLPBKGBCH, 0x02f7c)
REG32(TXDGPC, 0x087a0)
REG32(TXDGBCL, 0x087a4)
REG32(TXDGBCH, 0x087a8)
#define IOAT_NIC_MPC(i)             (0x03fa0 + 4 * (i))     /* i < 8 */
#define IOAT_NIC_RNBC(i)            (0x03fc0 + 4 * (i))     /* i < 8 */

/* EEPROM, flash, management (8.2.3.2, 8.2.3.26) */
REG32(EEC, 0x10010)
    FIELD(EEC, SK, 0, 1)
    FIELD(EEC, CS, 1, 1)
    FIELD(EEC, DI, 2, 1)
    FIELD(EEC, FWE, 4, 2)
    FIELD(EEC, REQ, 6, 1)
    FIELD(EEC, GNT, 7, 1)
    FIELD(EEC, PRES, 8, 1)
    FIELD(EEC, ARD, 9, 1)
    FIELD(EEC, SIZE, 11, 4)
REG32(EERD, 0x10014)
    FIELD(EERD, START, 0, 1)
    FIELD(EERD, DONE, 1, 1)
    FIELD(EERD, ADDR, 2, 14)
    FIELD(EERD, DATA, 16, 16)
REG32(FLA, 0x1001c)
REG32(EEMNGCTL, 0x10110)
REG32(GRC, 0x10200)
REG32(SWSM, 0x10140)
REG32(FWSM, 0x10148)
REG32(FACTPS, 0x10150)
REG32(GSSR, 0x10160)
    FIELD(GSSR, SW, 0, 5)
    FIELD(GSSR, FW, 5, 5)

/* PCIe (8.2.3.4) */
REG32(GCR, 0x11000)
REG32(GCR_EXT, 0x11050)
    FIELD(GCR_EXT, VT_MODE, 0, 2)
REG32(DCA_CTRL, 0x11074)

/* Host interface to the manageability firmware (8.2.3.26) */
REG32(HICR, 0x15f00)
REG32(FWSTS, 0x15f0c)

/* Advanced receive descriptor, read format (7.1.6.1) */
typedef struct IoatNicRxDescRead {
    uint64_t pkt_addr;
    uint64_t hdr_addr;
} IoatNicRxDescRead;

/* Advanced receive descriptor, write-back format (7.1.6.2) */
FIELD(RXD_WB0, RSS_TYPE, 0, 4)
FIELD(RXD_WB0, PKT_TYPE, 4, 12)
FIELD(RXD_WB0, RSCCNT, 17, 4)
FIELD(RXD_WB0, HDR_LEN, 21, 10)
FIELD(RXD_WB0, SPH, 31, 1)
#define IOAT_NIC_RXD_STAT_DD        (1u << 0)
#define IOAT_NIC_RXD_STAT_EOP       (1u << 1)
#define IOAT_NIC_RXD_STAT_FLM       (1u << 2)
#define IOAT_NIC_RXD_STAT_VP        (1u << 3)
#define IOAT_NIC_RXD_STAT_UDPCS     (1u << 4)
#define IOAT_NIC_RXD_STAT_L4CS      (1u << 5)
#define IOAT_NIC_RXD_STAT_IPCS      (1u << 6)
#define IOAT_NIC_RXD_STAT_LLINT     (1u << 11)
/* Non-EOP descriptors of a coalesced frame: the next one's index */
#define IOAT_NIC_RXD_NEXTP_SHIFT    4
#define IOAT_NIC_RXD_NEXTP_MASK     0x000ffff0u
#define IOAT_NIC_RXD_ERR_FDIR_LEN   (1u << 20)
#define IOAT_NIC_RXD_ERR_FDIR_DROP  (1u << 21)
#define IOAT_NIC_RXD_ERR_HBO        (1u << 23)
#define IOAT_NIC_RXD_ERR_TCPE       (1u << 30)
#define IOAT_NIC_RXD_ERR_IPE        (1u << 31)
#define IOAT_NIC_PKT_TYPE_IPV4      0x001
#define IOAT_NIC_PKT_TYPE_IPV4_EX   0x002
#define IOAT_NIC_PKT_TYPE_IPV6      0x004
#define IOAT_NIC_PKT_TYPE_IPV6_EX   0x008
#define IOAT_NIC_PKT_TYPE_TCP       0x010
#define IOAT_NIC_PKT_TYPE_UDP       0x020
#define IOAT_NIC_RSS_TYPE_NONE      0
#define IOAT_NIC_RSS_TYPE_IPV4_TCP  1
#define IOAT_NIC_RSS_TYPE_IPV4      2
#define IOAT_NIC_RSS_TYPE_IPV6_TCP  3
#define IOAT_NIC_RSS_TYPE_IPV6      5
#define IOAT_NIC_RSS_TYPE_IPV4_UDP  7
#define IOAT_NIC_RSS_TYPE_IPV6_UDP  8
#define IOAT_NIC_RSS_TYPE_FDIR      0xf     /* DW1 holds the filter ID */

/* Advanced transmit descriptors (7.2.3.2) */
FIELD(TXD_CMD, DTALEN, 0, 16)
FIELD(TXD_CMD, DTYP, 20, 4)
FIELD(TXD_CMD, EOP, 24, 1)
FIELD(TXD_CMD, IFCS, 25, 1)
FIELD(TXD_CMD, RS, 27, 1)
FIELD(TXD_CMD, DEXT, 29, 1)
FIELD(TXD_CMD, VLE, 30, 1)
FIELD(TXD_CMD, TSE, 31, 1)
FIELD(TXD_OLINFO, STA_DD, 0, 1)
FIELD(TXD_OLINFO, IDX, 4, 3)
FIELD(TXD_OLINFO, IXSM, 8, 1)
FIELD(TXD_OLINFO, TXSM, 9, 1)
FIELD(TXD_OLINFO, PAYLEN, 14, 18)
#define IOAT_NIC_TXD_DTYP_CTXT      2
#define IOAT_NIC_TXD_DTYP_DATA      3
FIELD(TXCTX_VLAN_MACIP, IPLEN, 0, 9)
FIELD(TXCTX_VLAN_MACIP, MACLEN, 9, 7)
FIELD(TXCTX_VLAN_MACIP, VLAN, 16, 16)
FIELD(TXCTX_TUCMD, IPV4, 10, 1)
FIELD(TXCTX_TUCMD, L4T, 11, 2)
FIELD(TXCTX_MSS_L4LEN, IDX, 4, 3)
FIELD(TXCTX_MSS_L4LEN, L4LEN, 8, 8)
FIELD(TXCTX_MSS_L4LEN, MSS, 16, 16)
#define IOAT_NIC_L4T_UDP            0
#define IOAT_NIC_L4T_TCP            1
#define IOAT_NIC_L4T_SCTP           2

/* Legacy transmit descriptor (7.2.3.2.2): the same EOP/IFCS/RS/VLE bits */
FIELD(TXD_LEGACY, CSO, 16, 8)
FIELD(TXD_LEGACY, IC, 26, 1)
FIELD(TXD_LEGACY_UPPER, CSS, 8, 8)
FIELD(TXD_LEGACY_UPPER, VLAN, 16, 16)

typedef struct IoatNicTxDesc {
    uint64_t addr;                  /* buffer, or the context's first dwords */
    uint32_t cmd_type_len;
    uint32_t olinfo_status;
} IoatNicTxDesc;

/* Device geometry */
#define IOAT_NIC_NUM_QUEUES         128
#define IOAT_NIC_NUM_STAT_QUEUES    16
#define IOAT_NIC_MSIX_VECTORS       64
#define IOAT_NIC_EEPROM_WORDS       1024
/* EEPROM map (6.3): module pointers, checksum, the LAN core 0 module */
#define IOAT_NIC_EEPROM_FIRST_PTR       0x03
#define IOAT_NIC_EEPROM_LAN_CORE0_PTR   0x09
#define IOAT_NIC_EEPROM_LAST_PTR        0x0e    /* 0x0f, firmware: not summed */
#define IOAT_NIC_EEPROM_CHECKSUM_WORD   0x3f
#define IOAT_NIC_EEPROM_CHECKSUM        0xbaba
#define IOAT_NIC_EEPROM_LAN_CORE0       0x0040
#define IOAT_NIC_DESC_SIZE          16
#define IOAT_NIC_RING_LEN_MASK      0x000fff80  /* RDLEN/TDLEN: 128 B units */
#define IOAT_NIC_RING_INDEX_MASK    0x0000ffff  /* RDH/RDT/TDH/TDT */

/* BAR layout */
#define IOAT_NIC_MMIO_SIZE          (512 * KiB)
#define IOAT_NIC_REG_SPACE          0x20000     /* registers live below this */
#define IOAT_NIC_MSIX_BAR_SIZE      (16 * KiB)
#define IOAT_NIC_MSIX_TABLE_OFFSET  0x0000
#define IOAT_NIC_MSIX_PBA_OFFSET    0x2000

#endif
