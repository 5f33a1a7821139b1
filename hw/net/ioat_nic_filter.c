/*
 * Intel 82599 10 GbE controller (ioat-nic): receive queue filters
 *
 * The filters that choose a frame's queue before RSS, in the order the
 * datasheet gives them precedence (7.1.2): EtherType (ETQF/ETQS), SYN
 * (SYNQF) ahead of or behind the 5-tuple filters (FTQF, SAQF, DAQF,
 * SDPQF, L34T_IMIR) as SYNQF.SYNQFP says, then Flow Director; and the
 * low latency interrupt triggers that come with them (7.3.2.2).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "ioat_nic_int.h"
#include "trace.h"

#define IOAT_NIC_TCP_FLAG_SYN   0x02

/* EtherType filters (7.1.2.3), matched after any VLAN tag. */
static bool ioat_nic_filter_etqf(IoatNicCore *core, const IoatNicRxTuple *t,
                                 IoatNicRxSteer *st)
{
    for (unsigned n = 0; n < IOAT_NIC_NUM_ETQF; n++) {
        uint32_t etqf = ioat_nic_reg(core, IOAT_NIC_ETQF(n));
        uint32_t etqs = ioat_nic_reg(core, IOAT_NIC_ETQS(n));

        if (!FIELD_EX32(etqf, ETQF, FILTER_EN) ||
            FIELD_EX32(etqf, ETQF, ETYPE) != t->etype) {
            continue;
        }
        st->lli |= FIELD_EX32(etqs, ETQS, LLI);
        if (FIELD_EX32(etqs, ETQS, QUEUE_EN)) {
            st->steered = true;
            st->queue = FIELD_EX32(etqs, ETQS, RX_QUEUE);
            trace_ioat_nic_rx_steer("ETQF", n, st->queue);
            return true;
        }
    }
    return false;
}

/* The SYN filter (7.1.2.6): TCP segments with SYN set. */
static bool ioat_nic_filter_syn(IoatNicCore *core, const IoatNicRxTuple *t,
                                IoatNicRxSteer *st)
{
    uint32_t synqf = core->mac[R_SYNQF];

    if (!FIELD_EX32(synqf, SYNQF, QUEUE_EN) || t->frag ||
        t->l4 != ETH_L4_HDR_PROTO_TCP ||
        !(t->tcp_flags & IOAT_NIC_TCP_FLAG_SYN)) {
        return false;
    }
    st->steered = true;
    st->queue = FIELD_EX32(synqf, SYNQF, RX_QUEUE);
    trace_ioat_nic_rx_steer("SYNQF", 0, st->queue);
    return true;
}

static unsigned ioat_nic_ftqf_protocol(const IoatNicRxTuple *t)
{
    if (t->frag) {
        return IOAT_NIC_FTQF_PROTO_OTHER;
    }
    switch (t->l4) {
    case ETH_L4_HDR_PROTO_TCP:
        return IOAT_NIC_FTQF_PROTO_TCP;
    case ETH_L4_HDR_PROTO_UDP:
        return IOAT_NIC_FTQF_PROTO_UDP;
    case ETH_L4_HDR_PROTO_SCTP:
        return IOAT_NIC_FTQF_PROTO_SCTP;
    default:
        return IOAT_NIC_FTQF_PROTO_OTHER;
    }
}

/*
 * 5-tuple filter @n (7.1.2.5): IPv4 only; every field its FTQF mask does
 * not exclude must match.  Addresses are compared as the little-endian
 * dwords of their wire bytes, ports in network byte order, as the
 * registers hold them.
 */
static bool ioat_nic_ftqf_match(IoatNicCore *core, unsigned n,
                                const IoatNicRxTuple *t)
{
    uint32_t ftqf = ioat_nic_reg(core, IOAT_NIC_FTQF(n));
    uint32_t sdpqf = ioat_nic_reg(core, IOAT_NIC_SDPQF(n));
    unsigned mask = FIELD_EX32(ftqf, FTQF, MASK);
    bool ports = !t->frag && (t->l4 == ETH_L4_HDR_PROTO_TCP ||
                              t->l4 == ETH_L4_HDR_PROTO_UDP ||
                              t->l4 == ETH_L4_HDR_PROTO_SCTP);

    if (!(mask & IOAT_NIC_FTQF_MASK_PROTOCOL) &&
        FIELD_EX32(ftqf, FTQF, PROTOCOL) != ioat_nic_ftqf_protocol(t)) {
        return false;
    }
    if (!(mask & IOAT_NIC_FTQF_MASK_SRC_ADDR) &&
        ldl_le_p(t->src) != ioat_nic_reg(core, IOAT_NIC_SAQF(n))) {
        return false;
    }
    if (!(mask & IOAT_NIC_FTQF_MASK_DST_ADDR) &&
        ldl_le_p(t->dst) != ioat_nic_reg(core, IOAT_NIC_DAQF(n))) {
        return false;
    }
    if (!(mask & IOAT_NIC_FTQF_MASK_SRC_PORT) &&
        (!ports || bswap16(t->sport) != FIELD_EX32(sdpqf, SDPQF, SRC_PORT))) {
        return false;
    }
    if (!(mask & IOAT_NIC_FTQF_MASK_DST_PORT) &&
        (!ports || bswap16(t->dport) != FIELD_EX32(sdpqf, SDPQF, DST_PORT))) {
        return false;
    }
    return true;
}

/*
 * A matching 5-tuple filter with L34T_IMIR.LLI interrupts at once if the
 * frame is short enough (or SIZE_BP) and carries one of the selected TCP
 * flags (or CTRL_BP).
 */
static bool ioat_nic_ftqf_lli(IoatNicCore *core, unsigned n,
                              const IoatNicRxTuple *t)
{
    uint32_t imir = ioat_nic_reg(core, IOAT_NIC_L34T_IMIR(n));
    unsigned size = FIELD_EX32(core->mac[R_LLITHRESH], LLITHRESH, SIZE);

    if (!FIELD_EX32(imir, L34T_IMIR, LLI)) {
        return false;
    }
    if (!FIELD_EX32(imir, L34T_IMIR, SIZE_BP) && t->len >= size) {
        return false;
    }
    return FIELD_EX32(imir, L34T_IMIR, CTRL_BP) ||
           (t->l4 == ETH_L4_HDR_PROTO_TCP &&
            (t->tcp_flags & FIELD_EX32(imir, L34T_IMIR, TCP_FLAGS)));
}

/* 5-tuple filter @n takes part: FTQF.QUEUE_EN or L34T_IMIR.LLI set */
static void ioat_nic_five_tuple_update(IoatNicCore *core, unsigned n)
{
    if (FIELD_EX32(ioat_nic_reg(core, IOAT_NIC_FTQF(n)), FTQF, QUEUE_EN) ||
        FIELD_EX32(ioat_nic_reg(core, IOAT_NIC_L34T_IMIR(n)), L34T_IMIR,
                   LLI)) {
        set_bit(n, core->five_tuple_on);
    } else {
        clear_bit(n, core->five_tuple_on);
    }
}

void ioat_nic_write_five_tuple(IoatNicCore *core, const IoatNicReg *reg,
                               unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_reg_store(core, reg, addr, val);
    ioat_nic_five_tuple_update(core, n);
}

/* The filters in use, from the registers (reset, incoming migration) */
void ioat_nic_filter_sync(IoatNicCore *core)
{
    for (unsigned n = 0; n < IOAT_NIC_NUM_FIVE_TUPLE; n++) {
        ioat_nic_five_tuple_update(core, n);
    }
}

/*
 * The 5-tuple filters: the matching filter of highest FTQF priority, the
 * lowest numbered among equals, steers with FTQF.QUEUE_EN.  Any match
 * may also raise a low latency interrupt.  Only the filters in use are
 * looked at.
 */
static bool ioat_nic_filter_five_tuple(IoatNicCore *core,
                                       const IoatNicRxTuple *t,
                                       IoatNicRxSteer *st)
{
    int best = -1;
    unsigned best_prio = 0;

    if (!t->ip4) {
        return false;
    }
    for (unsigned n = find_first_bit(core->five_tuple_on,
                                     IOAT_NIC_NUM_FIVE_TUPLE);
         n < IOAT_NIC_NUM_FIVE_TUPLE;
         n = find_next_bit(core->five_tuple_on, IOAT_NIC_NUM_FIVE_TUPLE,
                           n + 1)) {
        uint32_t ftqf = ioat_nic_reg(core, IOAT_NIC_FTQF(n));
        bool lli = FIELD_EX32(ioat_nic_reg(core, IOAT_NIC_L34T_IMIR(n)),
                              L34T_IMIR, LLI);

        if ((!FIELD_EX32(ftqf, FTQF, QUEUE_EN) && !lli) ||
            !ioat_nic_ftqf_match(core, n, t)) {
            continue;
        }
        st->lli |= ioat_nic_ftqf_lli(core, n, t);
        if (FIELD_EX32(ftqf, FTQF, QUEUE_EN) &&
            (best < 0 || FIELD_EX32(ftqf, FTQF, PRIORITY) > best_prio)) {
            best = n;
            best_prio = FIELD_EX32(ftqf, FTQF, PRIORITY);
        }
    }
    if (best < 0) {
        return false;
    }
    st->steered = true;
    st->queue = FIELD_EX32(ioat_nic_reg(core, IOAT_NIC_L34T_IMIR(best)),
                           L34T_IMIR, RX_QUEUE);
    trace_ioat_nic_rx_steer("FTQF", best, st->queue);
    return true;
}

/* A tagged frame of the IMIRVP priority interrupts at once. */
static bool ioat_nic_filter_vlan_lli(IoatNicCore *core,
                                     const IoatNicRxTuple *t)
{
    uint32_t imirvp = core->mac[R_IMIRVP];

    return t->tagged && FIELD_EX32(imirvp, IMIRVP, PRIORITY_EN) &&
           (t->tci >> 13) == FIELD_EX32(imirvp, IMIRVP, PRIORITY);
}

/*
 * Choose the queue by the filters' precedence (7.1.2): EtherType, then
 * SYN before or after the 5-tuple filters, then Flow Director.  Frames
 * none of them steers are left to RSS.
 */
void ioat_nic_filter_steer(IoatNicCore *core, const IoatNicRxTuple *t,
                           IoatNicRxSteer *st)
{
    bool syn_first = FIELD_EX32(core->mac[R_SYNQF], SYNQF, SYNQFP);

    st->lli = ioat_nic_filter_vlan_lli(core, t);
    if (ioat_nic_filter_etqf(core, t, st)) {
        return;
    }
    if (syn_first && ioat_nic_filter_syn(core, t, st)) {
        return;
    }
    if (ioat_nic_filter_five_tuple(core, t, st)) {
        return;
    }
    if (!syn_first && ioat_nic_filter_syn(core, t, st)) {
        return;
    }
    ioat_nic_fdir_lookup(core, t, st);
}
