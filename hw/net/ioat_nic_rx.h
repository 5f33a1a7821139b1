/*
 * Intel 82599 10 GbE controller (ioat-nic): one received frame on its way
 * to a ring
 *
 * Private to ioat_nic_rx.c and ioat_nic_rsc.c, which coalesces TCP
 * segments into frames that the receive path then writes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IOAT_NIC_RX_H
#define HW_NET_IOAT_NIC_RX_H

#include "ioat_nic_int.h"

/* What the receive path learned about one frame. */
typedef struct IoatNicRxFrame {
    uint8_t *buf;                   /* the frame, padded to ETH_ZLEN */
    bool scratch;                   /* buf is the core's rx_scratch */
    const uint8_t *data;            /* frame with any stripped tag removed */
    size_t len;
    bool tagged;                    /* carries an 802.1Q tag (VLNCTRL.VET) */
    bool vlan_stripped;
    /* The CRC follows the frame in buf; counted in len once delivered */
    bool fcs;
    uint16_t vlan_tci;
    uint32_t rss_hash;
    uint8_t rss_type;
    unsigned queue;
    bool legacy;                    /* legacy descriptors (7.1.5) */
    bool split;                     /* header-split descriptor type */
    size_t hdr_buf;                 /* header buffer size */
    size_t hdr_len;                 /* bytes that go to the header buffer */
    bool sph;                       /* header identified (split point found) */
    bool hbo;                       /* header larger than its buffer */
    unsigned ndesc;                 /* descriptors the frame takes */
    bool late_wb;                   /* fault-rx-late-writeback hit it */
    IoatNicRxSteer steer;           /* what the queue filters decided */
    int pool;                       /* its pool, -1 without pools */
    bool replica;                   /* a further pool's copy */
    /*
     * A coalesced frame (ioat_nic_rsc.c): per descriptor, the RSCCNT it
     * reports; non-EOP descriptors carry NEXTP instead of status bits
     */
    bool rsc;
    uint8_t rsccnt[IOAT_NIC_RX_MAX_FRAME_DESC];
} IoatNicRxFrame;

/* @f's length without the CRC it keeps (HLREG0.RXCRCSTRP clear) */
static inline size_t ioat_nic_rx_frame_len(const IoatNicRxFrame *f)
{
    return f->len - (f->fcs ? ETH_FCS_LEN : 0);
}

void ioat_nic_rx_parse(IoatNicCore *core, IoatNicRxFrame *f);
unsigned ioat_nic_rx_ring_size(IoatNicCore *core, unsigned q);
unsigned ioat_nic_rx_free(IoatNicCore *core, unsigned q);
size_t ioat_nic_rx_bufsize(IoatNicCore *core, unsigned q);
unsigned ioat_nic_rx_ndesc(IoatNicCore *core, const IoatNicRxFrame *f,
                           size_t len);
bool ioat_nic_rx_write(IoatNicCore *core, IoatNicRxFrame *f);

/* ioat_nic_rsc.c: receive side coalescing (7.11) */
typedef enum IoatNicRscVerdict {
    IOAT_NIC_RSC_PASS,              /* deliver the frame as it is */
    IOAT_NIC_RSC_TAKEN,             /* it is in a coalescing context */
} IoatNicRscVerdict;

/* Queue @q's RSCCTL if it coalesces (RSCEN, and RFCTL.RSC_DIS clear), 0 */
static inline uint32_t ioat_nic_rsc_ctl(IoatNicCore *core, unsigned q)
{
    if (FIELD_EX32(core->mac[R_RFCTL], RFCTL, RSC_DIS)) {
        return 0;
    }
    return ioat_nic_reg(core, IOAT_NIC_RSCCTL(q)) & R_RSCCTL_RSCEN_MASK ?
           ioat_nic_reg(core, IOAT_NIC_RSCCTL(q)) : 0;
}

IoatNicRscVerdict ioat_nic_rsc_receive(IoatNicCore *core, IoatNicRxFrame *f);
unsigned ioat_nic_rsc_reserved(IoatNicCore *core, unsigned q);
void ioat_nic_rsc_close_queue(IoatNicCore *core, unsigned q);

#endif
