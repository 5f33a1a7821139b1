/*
 * Intel 82599 10 GbE controller (ioat-nic): Flow Director
 *
 * Perfect-match and signature filters in a table of hash buckets, the
 * FDIRCMD add/remove/query protocol, the bucket and signature hash, the
 * field masks, the table's capacity per PBALLOC and its statistics
 * (datasheet 7.1.2.7, registers 8.2.3.21).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/host-utils.h"
#include "migration/vmstate.h"
#include "ioat_nic_int.h"
#include "trace.h"

#define IOAT_NIC_FDIR_MAX_BUCKETS   (1 << 15)
#define IOAT_NIC_FDIR_SIG_MASK      0x7fff
#define IOAT_NIC_FDIR_TCI_DEI       0x1000  /* never compared */
#define IOAT_NIC_FDIR_STREAM_WORDS  11

static uint32_t ioat_nic_fdirctrl(IoatNicCore *core)
{
    return core->mac[R_FDIRCTRL];
}

static bool ioat_nic_fdir_perfect(IoatNicCore *core)
{
    return FIELD_EX32(ioat_nic_fdirctrl(core), FDIRCTRL, PERFECT_MATCH);
}

/* Table memory 64, 128 or 256 KiB (FDIRCTRL.PBALLOC 1-3); 0 is off. */
static unsigned ioat_nic_fdir_pballoc(IoatNicCore *core)
{
    return FIELD_EX32(ioat_nic_fdirctrl(core), FDIRCTRL, PBALLOC);
}

bool ioat_nic_fdir_enabled(IoatNicCore *core)
{
    return ioat_nic_fdir_pballoc(core) &&
           FIELD_EX32(ioat_nic_fdirctrl(core), FDIRCTRL, INIT_DONE);
}

/*
 * Filters that fit and the bucket hash bits used (7.1.2.7.3): 2K perfect
 * or 8K signature filters per 64 KiB, 2K or 8K buckets.
 */
static uint32_t ioat_nic_fdir_capacity(IoatNicCore *core)
{
    unsigned scale = ioat_nic_fdir_pballoc(core) - 1;

    return ioat_nic_fdir_perfect(core) ? (2048u << scale) - 2
                                       : (8192u << scale) - 1;
}

static uint32_t ioat_nic_fdir_bucket_mask(IoatNicCore *core)
{
    unsigned scale = ioat_nic_fdir_pballoc(core) - 1;

    return (ioat_nic_fdir_perfect(core) ? (0x800u << scale)
                                        : (0x2000u << scale)) - 1;
}

/*
 * The hash of an 11-dword input stream with a 32-bit key (7.1.2.7.15):
 * the XOR over n of the stream's 16-bit windows selected by the key's
 * bits, folded as every dword but the first enters only through XOR.
 */
static uint32_t ioat_nic_fdir_hash(const uint32_t d[IOAT_NIC_FDIR_STREAM_WORDS],
                                   uint32_t key)
{
    uint32_t common = 0, hi, lo, h = 0;

    for (unsigned i = 1; i < IOAT_NIC_FDIR_STREAM_WORDS; i++) {
        common ^= d[i];
    }
    hi = common ^ d[0] ^ (d[0] >> 16);
    lo = ror32(common, 16);
    if (key & 1) {
        h ^= lo;
    }
    if (key & (1u << 16)) {
        h ^= hi;
    }
    lo ^= d[0] ^ (d[0] << 16);
    for (unsigned n = 1; n < 16; n++) {
        if (key & (1u << n)) {
            h ^= lo >> n;
        }
        if (key & (1u << (n + 16))) {
            h ^= hi >> n;
        }
    }
    return h & IOAT_NIC_FDIR_SIG_MASK;
}

/*
 * A frame's fields as Flow Director compares them, with the global masks
 * (FDIRM, FDIRSIP4M, FDIRDIP4M, FDIRTCPM/UDPM, FDIRIP6M) applied.  The
 * addresses are the little-endian dwords of the wire bytes, as the filter
 * registers hold them; ports are in host order.
 */
typedef struct IoatNicFdirFields {
    uint8_t flow_type;          /* FDIRCMD.L4TYPE | FDIRCMD.IPV6 << 2 */
    uint16_t tci;
    uint16_t flex;              /* first wire byte in bits 7:0 */
    uint32_t src[4], dst[4];
    uint16_t sport, dport;
} IoatNicFdirFields;

static uint8_t ioat_nic_fdir_l4type(EthL4HdrProto l4, bool frag)
{
    if (frag) {
        return IOAT_NIC_FDIR_L4_OTHER;
    }
    switch (l4) {
    case ETH_L4_HDR_PROTO_TCP:
        return IOAT_NIC_FDIR_L4_TCP;
    case ETH_L4_HDR_PROTO_UDP:
        return IOAT_NIC_FDIR_L4_UDP;
    case ETH_L4_HDR_PROTO_SCTP:
        return IOAT_NIC_FDIR_L4_SCTP;
    default:
        return IOAT_NIC_FDIR_L4_OTHER;
    }
}

/* FDIRTCPM/UDPM: 1 ignores a port bit; bit i masks port bit 15 - i. */
static void ioat_nic_fdir_port_masks(IoatNicCore *core, uint8_t l4type,
                                     uint16_t *smask, uint16_t *dmask)
{
    uint32_t m = 0;

    if (l4type == IOAT_NIC_FDIR_L4_TCP) {
        m = core->mac[R_FDIRTCPM];
    } else if (l4type == IOAT_NIC_FDIR_L4_UDP) {
        m = core->mac[R_FDIRUDPM];
    }
    *smask = ~revbit16(m & 0xffff);
    *dmask = ~revbit16(m >> 16);
}

/* FDIRIP6M: bit i of a half ignores byte i of that IPv6 address. */
static uint32_t ioat_nic_fdir_ip6_care(uint16_t byte_mask, unsigned word)
{
    uint32_t care = 0;

    for (unsigned b = 0; b < 4; b++) {
        if (!(byte_mask & (1u << (4 * word + b)))) {
            care |= 0xffu << (8 * b);
        }
    }
    return care;
}

static void ioat_nic_fdir_mask(IoatNicCore *core, IoatNicFdirFields *f)
{
    uint32_t fdirm = core->mac[R_FDIRM];
    uint16_t smask, dmask;

    if (FIELD_EX32(fdirm, FDIRM, VLANID)) {
        f->tci &= ~0x0fff;
    }
    if (FIELD_EX32(fdirm, FDIRM, VLANP)) {
        f->tci &= ~0xe000;
    }
    if (FIELD_EX32(fdirm, FDIRM, FLEX)) {
        f->flex = 0;
    }
    if (FIELD_EX32(fdirm, FDIRM, L4P)) {
        f->flow_type &= ~R_FDIRCMD_L4TYPE_MASK >> R_FDIRCMD_L4TYPE_SHIFT;
        f->sport = f->dport = 0;
    }
    ioat_nic_fdir_port_masks(core, f->flow_type & 3, &smask, &dmask);
    f->sport &= smask;
    f->dport &= dmask;
    if (f->flow_type & 4) {
        for (unsigned w = 0; w < 4; w++) {
            f->src[w] &= ioat_nic_fdir_ip6_care(core->mac[R_FDIRIP6M], w);
            f->dst[w] &= ioat_nic_fdir_ip6_care(core->mac[R_FDIRIP6M] >> 16,
                                                w);
        }
    } else {
        f->src[0] &= ~core->mac[R_FDIRSIP4M];
        f->dst[0] &= ~core->mac[R_FDIRDIP4M];
    }
}

/*
 * The hash input stream (7.1.2.7.15): D0 pool, flow type and VLAN tag;
 * D1-D4 destination and D5-D8 source address, big endian; D9 source and
 * destination port; D10 the flexible bytes in wire order.
 */
static void ioat_nic_fdir_stream(const IoatNicFdirFields *f,
                                 uint32_t d[IOAT_NIC_FDIR_STREAM_WORDS])
{
    d[0] = (uint32_t)f->flow_type << 16 | f->tci;
    for (unsigned w = 0; w < 4; w++) {
        d[1 + w] = bswap32(f->dst[w]);
        d[5 + w] = bswap32(f->src[w]);
    }
    d[9] = (uint32_t)f->sport << 16 | f->dport;
    d[10] = (uint32_t)bswap16(f->flex) << 16;
}

static void ioat_nic_fdir_packet_fields(IoatNicCore *core,
                                        const IoatNicRxTuple *t,
                                        IoatNicFdirFields *f)
{
    size_t flex = 2 * FIELD_EX32(ioat_nic_fdirctrl(core), FDIRCTRL,
                                 FLEX_OFFSET);
    unsigned words = t->ip6 ? 4 : 1;

    memset(f, 0, sizeof(*f));
    f->flow_type = ioat_nic_fdir_l4type(t->l4, t->frag) | (t->ip6 ? 4 : 0);
    f->tci = t->tci;
    if (flex + 2 <= t->len) {
        f->flex = lduw_le_p(t->frame + flex);
    }
    for (unsigned w = 0; w < words; w++) {
        f->src[w] = ldl_le_p(t->src + 4 * w);
        f->dst[w] = ldl_le_p(t->dst + 4 * w);
    }
    if ((f->flow_type & 3) != IOAT_NIC_FDIR_L4_OTHER) {
        f->sport = t->sport;
        f->dport = t->dport;
    }
}

/* A perfect filter's fields, from the registers latched at ADD. */
static void ioat_nic_fdir_filter_fields(const IoatNicFdirFilter *flt,
                                        IoatNicFdirFields *f)
{
    memset(f, 0, sizeof(*f));
    f->flow_type = FIELD_EX32(flt->cmd, FDIRCMD, L4TYPE) |
                   FIELD_EX32(flt->cmd, FDIRCMD, IPV6) << 2;
    f->tci = FIELD_EX32(flt->vlan_flex, FDIRVLAN, VLAN);
    f->flex = FIELD_EX32(flt->vlan_flex, FDIRVLAN, FLEX);
    if (f->flow_type & 4) {
        memcpy(f->src, flt->src_ip, sizeof(f->src));
    } else {
        f->src[0] = flt->src_ip[3];
        f->dst[0] = flt->dst_ip;
    }
    f->sport = FIELD_EX32(flt->port, FDIRPORT, SOURCE);
    f->dport = FIELD_EX32(flt->port, FDIRPORT, DESTINATION);
}

static bool ioat_nic_fdir_fields_equal(const IoatNicFdirFields *a,
                                       const IoatNicFdirFields *b)
{
    /* IPv6 destinations are never compared (FDIRM.DIPv6, see below). */
    return a->flow_type == b->flow_type &&
           (a->tci & ~IOAT_NIC_FDIR_TCI_DEI) ==
           (b->tci & ~IOAT_NIC_FDIR_TCI_DEI) &&
           a->flex == b->flex && a->sport == b->sport &&
           a->dport == b->dport &&
           !memcmp(a->src, b->src, sizeof(a->src)) &&
           ((a->flow_type & 4) || a->dst[0] == b->dst[0]);
}

/* The table: filters chained per bucket through next[] */

static void ioat_nic_fdir_clear(IoatNicCore *core)
{
    IoatNicFdir *fd = &core->fdir;

    fd->nfilter = 0;
    for (unsigned b = 0; b < IOAT_NIC_FDIR_MAX_BUCKETS; b++) {
        fd->head[b] = -1;
    }
}

static int32_t ioat_nic_fdir_find(IoatNicCore *core, uint16_t bucket,
                                  uint16_t id, int32_t **link)
{
    IoatNicFdir *fd = &core->fdir;
    int32_t *l = &fd->head[bucket];

    for (; *l >= 0; l = &fd->next[*l]) {
        if (fd->filter[*l].id == id) {
            if (link) {
                *link = l;
            }
            return *l;
        }
    }
    return -1;
}

static unsigned ioat_nic_fdir_chain_len(IoatNicCore *core, uint16_t bucket)
{
    unsigned n = 0;

    for (int32_t i = core->fdir.head[bucket]; i >= 0; i = core->fdir.next[i]) {
        n++;
    }
    return n;
}

static void ioat_nic_fdir_grow(IoatNicFdir *fd, uint32_t capacity)
{
    if (fd->nfilter < fd->alloc) {
        return;
    }
    fd->alloc = MIN(MAX(64, 2 * fd->alloc), (int32_t)capacity);
    fd->filter = g_renew(IoatNicFdirFilter, fd->filter, fd->alloc);
    fd->next = g_renew(int32_t, fd->next, fd->alloc);
}

/* Unlink filter @i and move the last filter into its slot. */
static void ioat_nic_fdir_remove_at(IoatNicCore *core, int32_t *link)
{
    IoatNicFdir *fd = &core->fdir;
    int32_t i = *link, last = fd->nfilter - 1;
    int32_t *l;

    *link = fd->next[i];
    if (i != last) {
        for (l = &fd->head[fd->filter[last].bucket]; *l != last;
             l = &fd->next[*l]) {
            /* the last filter is on its own bucket's chain */
        }
        *l = i;
        fd->filter[i] = fd->filter[last];
        fd->next[i] = fd->next[last];
    }
    fd->nfilter--;
}

/* Saturating counters in bit fields of a statistics register */
static void ioat_nic_fdir_count(IoatNicCore *core, hwaddr reg,
                                unsigned shift, unsigned width)
{
    uint32_t v = extract32(core->mac[reg >> 2], shift, width);

    if (v != MAKE_64BIT_MASK(0, width)) {
        core->mac[reg >> 2] = deposit32(core->mac[reg >> 2], shift, width,
                                        v + 1);
    }
}

#define FDIR_COUNT(core, reg, field) \
    ioat_nic_fdir_count(core, A_##reg, R_##reg##_##field##_SHIFT, \
                        R_##reg##_##field##_LENGTH)

static void ioat_nic_fdir_add(IoatNicCore *core, uint32_t cmd,
                              uint16_t bucket, uint16_t id)
{
    IoatNicFdir *fd = &core->fdir;
    uint32_t ctrl = ioat_nic_fdirctrl(core);
    uint32_t capacity = ioat_nic_fdir_capacity(core);
    IoatNicFdirFilter flt = {
        .cmd = cmd & ~(R_FDIRCMD_CMD_MASK | R_FDIRCMD_FILTER_VALID_MASK |
                       R_FDIRCMD_COLLISION_MASK),
        .bucket = bucket,
        .id = id,
    };
    unsigned len;
    int32_t i;

    if (ioat_nic_fdir_perfect(core)) {
        for (unsigned w = 0; w < 3; w++) {
            flt.src_ip[w] = ioat_nic_reg(core, IOAT_NIC_FDIRSIPV6(w));
        }
        flt.src_ip[3] = core->mac[R_FDIRIPSA];
        flt.dst_ip = core->mac[R_FDIRIPDA];
        flt.port = core->mac[R_FDIRPORT];
        flt.vlan_flex = core->mac[R_FDIRVLAN];
    }

    i = ioat_nic_fdir_find(core, bucket, id, NULL);
    if (i >= 0) {
        /* Same bucket and signature or index: update, or a collision. */
        if (!FIELD_EX32(cmd, FDIRCMD, FILTER_UPDATE)) {
            core->mac[R_FDIRCMD] = FIELD_DP32(core->mac[R_FDIRCMD], FDIRCMD,
                                              COLLISION, 1);
            FDIR_COUNT(core, FDIRFREE, COLL);
            FDIR_COUNT(core, FDIRFSTAT, FADD);
            trace_ioat_nic_fdir_collision(bucket, id);
            return;
        }
        fd->filter[i] = flt;
        FDIR_COUNT(core, FDIRUSTAT, ADD);
        trace_ioat_nic_fdir_add(bucket, id, FIELD_EX32(cmd, FDIRCMD, RX_QUEUE),
                                true);
        return;
    }
    if (fd->nfilter >= (int32_t)capacity) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_fdir_full,
                           "FDIRCMD: ADD of bucket 0x%x id 0x%x: the table "
                           "holds %u filters (FDIRCTRL.PBALLOC); not added",
                           bucket, id, capacity);
        FDIR_COUNT(core, FDIRFSTAT, FADD);
        return;
    }
    ioat_nic_fdir_grow(fd, capacity);
    i = fd->nfilter++;
    fd->filter[i] = flt;
    fd->next[i] = fd->head[bucket];
    fd->head[bucket] = i;
    FDIR_COUNT(core, FDIRUSTAT, ADD);
    trace_ioat_nic_fdir_add(bucket, id, FIELD_EX32(cmd, FDIRCMD, RX_QUEUE),
                            false);

    len = ioat_nic_fdir_chain_len(core, bucket);
    if (len > FIELD_EX32(core->mac[R_FDIRLEN], FDIRLEN, MAXLEN)) {
        core->mac[R_FDIRLEN] = FIELD_DP32(core->mac[R_FDIRLEN], FDIRLEN,
                                          MAXLEN, MIN(len, 63));
        core->mac[R_FDIRLEN] = FIELD_DP32(core->mac[R_FDIRLEN], FDIRLEN,
                                          MAXHASH, bucket);
    }
    /* Few free filters left: the FLOW_DIR interrupt cause (7.1.2.7.6). */
    if (capacity - fd->nfilter < FIELD_EX32(ctrl, FDIRCTRL, FULL_THRESH) * 16) {
        ioat_nic_raise_other(core, R_EICR_FLOW_DIR_MASK);
    }
}

static void ioat_nic_fdir_command(IoatNicCore *core, uint32_t cmd)
{
    uint32_t hash = core->mac[R_FDIRHASH];
    uint16_t bucket = FIELD_EX32(hash, FDIRHASH, HASH) &
                      ioat_nic_fdir_bucket_mask(core);
    uint16_t id = FIELD_EX32(hash, FDIRHASH, SIG_SW_INDEX);
    int32_t *link;
    int32_t i;

    if (!ioat_nic_fdir_perfect(core)) {
        id &= IOAT_NIC_FDIR_SIG_MASK;
    }
    switch (FIELD_EX32(cmd, FDIRCMD, CMD)) {
    case IOAT_NIC_FDIRCMD_ADD:
        ioat_nic_fdir_add(core, cmd, bucket, id);
        break;
    case IOAT_NIC_FDIRCMD_REMOVE:
        if (ioat_nic_fdir_find(core, bucket, id, &link) < 0) {
            IOAT_NIC_GUEST_ERR(ioat_nic_err_fdir_remove,
                               "FDIRCMD: REMOVE of bucket 0x%x id 0x%x: no "
                               "such filter", bucket, id);
            FDIR_COUNT(core, FDIRFSTAT, FREMOVE);
            break;
        }
        ioat_nic_fdir_remove_at(core, link);
        FDIR_COUNT(core, FDIRUSTAT, REMOVE);
        trace_ioat_nic_fdir_remove(bucket, id);
        break;
    case IOAT_NIC_FDIRCMD_QUERY:
        i = ioat_nic_fdir_find(core, bucket, id, NULL);
        core->mac[R_FDIRCMD] = FIELD_DP32(core->mac[R_FDIRCMD], FDIRCMD,
                                          FILTER_VALID, i >= 0);
        break;
    }
}

/* FDIRCMD (8.2.3.21.12): the command runs and completes in the write. */
void ioat_nic_write_fdircmd(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val)
{
    uint32_t keep = core->mac[R_FDIRCMD] & (R_FDIRCMD_FILTER_VALID_MASK |
                                            R_FDIRCMD_COLLISION_MASK);

    /* FILTER_VALID and COLLISION report the last command: hardware owned */
    core->mac[R_FDIRCMD] = (val & ~(R_FDIRCMD_CMD_MASK |
                                    R_FDIRCMD_FILTER_VALID_MASK |
                                    R_FDIRCMD_COLLISION_MASK)) | keep;
    if (!FIELD_EX32(val, FDIRCMD, CMD)) {
        return;
    }
    if (!ioat_nic_fdir_enabled(core)) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_fdir_off,
                           "FDIRCMD: command %u while Flow Director is off "
                           "(FDIRCTRL 0x%08" PRIx32 "); ignored",
                           (unsigned)FIELD_EX32(val, FDIRCMD, CMD),
                           ioat_nic_fdirctrl(core));
        return;
    }
    core->mac[R_FDIRCMD] &= ~(R_FDIRCMD_FILTER_VALID_MASK |
                              R_FDIRCMD_COLLISION_MASK);
    /* Tunnel filters came with later controllers; bit 23 is reserved. */
    if (FIELD_EX32(val, FDIRCMD, TUNNEL_FILTER)) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_fdir_flow_type,
                           "FDIRCMD: TUNNEL_FILTER (0x%08" PRIx32 ") is "
                           "reserved on the 82599; command ignored", val);
        if (FIELD_EX32(val, FDIRCMD, CMD) == IOAT_NIC_FDIRCMD_ADD) {
            FDIR_COUNT(core, FDIRFSTAT, FADD);
        }
        return;
    }
    ioat_nic_fdir_command(core, val);
}

/*
 * FDIRCTRL (8.2.3.21.1): a write with PBALLOC set initialises an empty
 * table of that size, at once; PBALLOC 0 turns Flow Director off.
 */
void ioat_nic_write_fdirctrl(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_reg_store(core, reg, addr, val);
    ioat_nic_fdir_clear(core);
    core->mac[R_FDIRCTRL] = FIELD_DP32(core->mac[R_FDIRCTRL], FDIRCTRL,
                                       INIT_DONE,
                                       !!ioat_nic_fdir_pballoc(core));
    if (FIELD_EX32(val, FDIRCTRL, REPORT_STATUS_ALWAYS) &&
        ioat_nic_report_unimp_once(core, A_FDIRCTRL)) {
        qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_reg: FDIRCTRL[0] = 0x%08"
                      PRIx32 ": REPORT_STATUS_ALWAYS is not modelled; "
                      "unmatched packets are not reported\n", val);
    }
    trace_ioat_nic_fdir_init(val, ioat_nic_fdir_pballoc(core) ?
                             ioat_nic_fdir_capacity(core) : 0);
}

/* FREE counts what is left of the table (8.2.3.21.7). */
uint32_t ioat_nic_read_fdirfree(IoatNicCore *core, const IoatNicReg *reg,
                                unsigned n, hwaddr addr)
{
    uint32_t free = ioat_nic_fdir_enabled(core) ?
                    ioat_nic_fdir_capacity(core) - core->fdir.nfilter : 0;

    return FIELD_DP32(core->mac[R_FDIRFREE], FDIRFREE, FREE, free);
}

/*
 * The lookup for one received frame (7.1.2.7.1): IP frames only, hashed
 * and compared with the masks applied.  The result is counted by
 * ioat_nic_fdir_count_lookup(), once per frame however often it is retried.
 */
void ioat_nic_fdir_lookup(IoatNicCore *core, const IoatNicRxTuple *t,
                          IoatNicRxSteer *st)
{
    IoatNicFdir *fd = &core->fdir;
    bool perfect = ioat_nic_fdir_perfect(core);
    uint32_t ctrl = ioat_nic_fdirctrl(core);
    IoatNicFdirFields pf, ff;
    uint32_t d[IOAT_NIC_FDIR_STREAM_WORDS];
    uint16_t bucket, sig = 0;
    const IoatNicFdirFilter *hit = NULL;
    unsigned walked = 0;

    if (!ioat_nic_fdir_enabled(core) || !(t->ip4 || t->ip6)) {
        return;
    }
    ioat_nic_fdir_packet_fields(core, t, &pf);
    if (perfect) {
        pf.tci &= ~IOAT_NIC_FDIR_TCI_DEI;
        ioat_nic_fdir_mask(core, &pf);
        if (t->ip6 && !FIELD_EX32(core->mac[R_FDIRM], FDIRM, DIPV6) &&
            ioat_nic_report_unimp_once(core, A_FDIRM)) {
            qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_reg: FDIRM[0]: IPv6 "
                          "destination match (DIPv6 clear) is not modelled; "
                          "IPv6 destinations are not compared\n");
        }
    } else {
        ioat_nic_fdir_mask(core, &pf);
    }
    ioat_nic_fdir_stream(&pf, d);
    bucket = ioat_nic_fdir_hash(d, core->mac[R_FDIRHKEY]) &
             ioat_nic_fdir_bucket_mask(core);
    if (!perfect) {
        sig = ioat_nic_fdir_hash(d, core->mac[R_FDIRSKEY]);
    }

    for (int32_t i = fd->head[bucket]; i >= 0; i = fd->next[i]) {
        const IoatNicFdirFilter *flt = &fd->filter[i];

        walked++;
        if (perfect) {
            ioat_nic_fdir_filter_fields(flt, &ff);
            ioat_nic_fdir_mask(core, &ff);
            if (ioat_nic_fdir_fields_equal(&pf, &ff)) {
                hit = flt;
                break;
            }
        } else if ((flt->id & IOAT_NIC_FDIR_SIG_MASK) == sig) {
            hit = flt;
            break;
        }
    }

    if (!hit) {
        st->fdir = IOAT_NIC_FDIR_MISS;
        trace_ioat_nic_fdir_miss(bucket, sig);
        return;
    }
    st->fdir = IOAT_NIC_FDIR_MATCH;
    trace_ioat_nic_fdir_match(bucket, hit->id,
                              FIELD_EX32(hit->cmd, FDIRCMD, RX_QUEUE));
    if (FIELD_EX32(hit->cmd, FDIRCMD, DROP)) {
        st->steered = true;
        st->queue = FIELD_EX32(ctrl, FDIRCTRL, DROP_QUEUE);
        st->err |= IOAT_NIC_RXD_ERR_FDIR_DROP;
    } else if (FIELD_EX32(hit->cmd, FDIRCMD, QUEUE_EN)) {
        st->steered = true;
        st->queue = FIELD_EX32(hit->cmd, FDIRCMD, RX_QUEUE);
    }
    st->lli |= FIELD_EX32(hit->cmd, FDIRCMD, INT);
    if (FIELD_EX32(ctrl, FDIRCTRL, REPORT_STATUS)) {
        st->fdir_match = true;
        st->fdir_id = hit->id | (uint32_t)bucket << 16;
        if (walked > FIELD_EX32(ctrl, FDIRCTRL, MAX_LENGTH)) {
            st->err |= IOAT_NIC_RXD_ERR_FDIR_LEN;
        }
    }
}

/* FDIRMATCH or FDIRMISS (8.2.3.21) for a frame delivered or dropped. */
void ioat_nic_fdir_count_lookup(IoatNicCore *core, const IoatNicRxSteer *st)
{
    if (st->fdir == IOAT_NIC_FDIR_MATCH) {
        ioat_nic_stat_inc(core, A_FDIRMATCH);
    } else if (st->fdir == IOAT_NIC_FDIR_MISS) {
        ioat_nic_stat_inc(core, A_FDIRMISS);
    }
}

void ioat_nic_fdir_realize(IoatNicCore *core)
{
    core->fdir.head = g_new(int32_t, IOAT_NIC_FDIR_MAX_BUCKETS);
    ioat_nic_fdir_clear(core);
}

void ioat_nic_fdir_unrealize(IoatNicCore *core)
{
    IoatNicFdir *fd = &core->fdir;

    g_free(fd->filter);
    g_free(fd->next);
    g_free(fd->head);
    fd->filter = NULL;
    fd->next = fd->head = NULL;
    fd->alloc = fd->nfilter = 0;
}

void ioat_nic_fdir_reset(IoatNicCore *core)
{
    ioat_nic_fdir_clear(core);
}

/*
 * After migration: the filters must fit the table FDIRCTRL describes and
 * lie in its buckets; the bucket chains are rebuilt.
 */
int ioat_nic_fdir_post_load(IoatNicCore *core)
{
    IoatNicFdir *fd = &core->fdir;
    int32_t n = fd->nfilter;
    uint32_t mask;

    if (n && (!ioat_nic_fdir_enabled(core) ||
              n > (int32_t)ioat_nic_fdir_capacity(core))) {
        return -EINVAL;
    }
    mask = n ? ioat_nic_fdir_bucket_mask(core) : 0;
    fd->alloc = n;
    fd->next = g_renew(int32_t, fd->next, n);
    ioat_nic_fdir_clear(core);
    for (int32_t i = 0; i < n; i++) {
        uint16_t b = fd->filter[i].bucket;

        if (b > mask || ioat_nic_fdir_find(core, b, fd->filter[i].id,
                                           NULL) >= 0) {
            return -EINVAL;
        }
        fd->next[i] = fd->head[b];
        fd->head[b] = i;
    }
    fd->nfilter = n;
    return 0;
}

static const VMStateDescription ioat_nic_vmstate_fdir_filter = {
    .name = "ioat-nic-fdir-filter",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(cmd, IoatNicFdirFilter),
        VMSTATE_UINT16(bucket, IoatNicFdirFilter),
        VMSTATE_UINT16(id, IoatNicFdirFilter),
        VMSTATE_UINT32_ARRAY(src_ip, IoatNicFdirFilter, 4),
        VMSTATE_UINT32(dst_ip, IoatNicFdirFilter),
        VMSTATE_UINT32(port, IoatNicFdirFilter),
        VMSTATE_UINT32(vlan_flex, IoatNicFdirFilter),
        VMSTATE_END_OF_LIST()
    }
};

/* The largest table: 32K signature filters (PBALLOC 256 KiB) */
static bool ioat_nic_fdir_count_valid(void *opaque, int version_id)
{
    IoatNicFdir *fd = opaque;

    return fd->nfilter >= 0 && fd->nfilter < IOAT_NIC_FDIR_MAX_BUCKETS;
}

static int ioat_nic_fdir_pre_load(void *opaque)
{
    IoatNicFdir *fd = opaque;

    g_free(fd->filter);
    fd->filter = NULL;
    fd->nfilter = fd->alloc = 0;
    return 0;
}

const VMStateDescription ioat_nic_vmstate_fdir = {
    .name = "ioat-nic-fdir",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_load = ioat_nic_fdir_pre_load,
    .fields = (const VMStateField[]) {
        VMSTATE_INT32(nfilter, IoatNicFdir),
        VMSTATE_VALIDATE("FDIR filter count", ioat_nic_fdir_count_valid),
        VMSTATE_STRUCT_VARRAY_ALLOC(filter, IoatNicFdir, nfilter, 1,
                                    ioat_nic_vmstate_fdir_filter,
                                    IoatNicFdirFilter),
        VMSTATE_END_OF_LIST()
    }
};
