/*
 * Intel 82599 (ioat-nic): the PF/VF mailbox
 *
 * One 64-byte buffer per VF, seen by the PF as PFMBMEM(n) and by VF n as
 * VFMBMEM, with an ownership protocol in PFMAILBOX(n) and VFMAILBOX: a
 * side takes the buffer (PFU, VFU) only while the other does not hold it,
 * posts a message (STS, REQ) or acknowledges one (ACK), which releases it
 * and tells the other side: the VF through its PFSTS/PFACK bits (cleared
 * by a read), the PF through PFMBICR and EICR.MAILBOX.  PFMBIMR is stored
 * but does not gate the interrupt (Linux never writes it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "ioat_nic_int.h"
#include "trace.h"

static uint32_t *ioat_nic_pfmailbox(IoatNicCore *core, unsigned vf)
{
    return ioat_nic_regp(core, IOAT_NIC_PFMAILBOX(vf));
}

static bool ioat_nic_pf_ready(IoatNicCore *core)
{
    return FIELD_EX32(core->mac[R_CTRL_EXT], CTRL_EXT, PFRSTD);
}

/* News for VF @vf: a status bit and its mailbox cause (VTIVAR_MISC). */
static void ioat_nic_mbx_to_vf(IoatNicCore *core, unsigned vf, uint8_t bit)
{
    core->vf_mbx[vf] |= bit;
    trace_ioat_nic_mbx_to_vf(vf, bit);
    ioat_nic_vf_mailbox_cause(core, vf);
}

/* A request (@ack false) or an acknowledgement from VF @vf for the PF. */
static void ioat_nic_mbx_to_pf(IoatNicCore *core, unsigned vf, bool ack)
{
    core->mac[IOAT_NIC_PFMBICR(vf / 16) >> 2] |= BIT(vf % 16 + (ack ? 16 : 0));
    trace_ioat_nic_mbx_to_pf(vf, ack);
    ioat_nic_raise_other(core, R_EICR_MAILBOX_MASK);
}

/*
 * A write by one side: without its bit @mine it releases the buffer; with
 * it, it takes the buffer unless the other side (@theirs) holds it.
 */
static void ioat_nic_mbx_take(uint32_t *mbx, bool want, uint32_t mine,
                              uint32_t theirs)
{
    if (!want) {
        *mbx &= ~mine;
    } else if (!(*mbx & theirs)) {
        *mbx |= mine;
    }
}

uint32_t ioat_nic_read_pfmailbox(IoatNicCore *core, const IoatNicReg *reg,
                                 unsigned n, hwaddr addr)
{
    return *ioat_nic_pfmailbox(core, n) &
           (IOAT_NIC_PFMAILBOX_VFU | IOAT_NIC_PFMAILBOX_PFU);
}

void ioat_nic_write_pfmailbox(IoatNicCore *core, const IoatNicReg *reg,
                              unsigned n, hwaddr addr, uint32_t val)
{
    uint32_t *mbx = ioat_nic_pfmailbox(core, n);

    trace_ioat_nic_mbx_pf_write(n, val, *mbx);
    if (val & IOAT_NIC_PFMAILBOX_RVFU) {
        *mbx &= ~IOAT_NIC_PFMAILBOX_VFU;
    }
    ioat_nic_mbx_take(mbx, val & IOAT_NIC_PFMAILBOX_PFU,
                      IOAT_NIC_PFMAILBOX_PFU, IOAT_NIC_PFMAILBOX_VFU);
    if (val & IOAT_NIC_PFMAILBOX_STS) {
        ioat_nic_mbx_to_vf(core, n, IOAT_NIC_VFMAILBOX_PFSTS);
    }
    if (val & IOAT_NIC_PFMAILBOX_ACK) {
        ioat_nic_mbx_to_vf(core, n, IOAT_NIC_VFMAILBOX_PFACK);
    }
}

void ioat_nic_write_pfmbmem(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val)
{
    unsigned vf = n / IOAT_NIC_MBX_WORDS;

    if (!(*ioat_nic_pfmailbox(core, vf) & IOAT_NIC_PFMAILBOX_PFU)) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_mbx_pf_unowned,
                           "PFMBMEM(%u) word %u written without holding the "
                           "buffer (PFMAILBOX(%u).PFU clear)", vf,
                           n % IOAT_NIC_MBX_WORDS, vf);
    }
    ioat_nic_reg_store(core, reg, addr, val);
}

/* PFRSTD 0 -> 1: every VF sees RSTD once, and RSTI no more. */
void ioat_nic_write_ctrl_ext(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr, uint32_t val)
{
    bool was_ready = ioat_nic_pf_ready(core);

    ioat_nic_reg_store(core, reg, addr, val);
    if (!was_ready && ioat_nic_pf_ready(core)) {
        trace_ioat_nic_mbx_pf_ready();
        for (unsigned vf = 0; vf < IOAT_NIC_NUM_VFS; vf++) {
            core->vf_mbx[vf] |= IOAT_NIC_VFMAILBOX_RSTD;
        }
    }
}

bool ioat_nic_core_vf_is_mbx(hwaddr addr)
{
    return addr == IOAT_NIC_VFMAILBOX ||
           (addr >= IOAT_NIC_VFMBMEM &&
            addr < IOAT_NIC_VFMBMEM + 4 * IOAT_NIC_MBX_WORDS);
}

/* VFMBMEM word @i of VF @vf is PFMBMEM word 16 @vf + @i. */
static uint32_t *ioat_nic_vfmbmem(IoatNicCore *core, unsigned vf, hwaddr addr)
{
    return ioat_nic_regp(core, IOAT_NIC_PFMBMEM(vf * IOAT_NIC_MBX_WORDS +
                                                (addr - IOAT_NIC_VFMBMEM) / 4));
}

uint32_t ioat_nic_core_vf_mbx_read(IoatNicCore *core, unsigned vf,
                                   hwaddr addr)
{
    uint32_t mbx, val;

    assert(vf < IOAT_NIC_NUM_VFS && ioat_nic_core_vf_is_mbx(addr));
    if (addr != IOAT_NIC_VFMAILBOX) {
        return *ioat_nic_vfmbmem(core, vf, addr);
    }
    /* REQ and ACK read 0; PFSTS, PFACK and RSTD clear on the read. */
    mbx = *ioat_nic_pfmailbox(core, vf);
    val = core->vf_mbx[vf];
    if (mbx & IOAT_NIC_PFMAILBOX_VFU) {
        val |= IOAT_NIC_VFMAILBOX_VFU;
    }
    if (mbx & IOAT_NIC_PFMAILBOX_PFU) {
        val |= IOAT_NIC_VFMAILBOX_PFU;
    }
    if (!ioat_nic_pf_ready(core)) {
        val |= IOAT_NIC_VFMAILBOX_RSTI;
    }
    core->vf_mbx[vf] = 0;
    return val;
}

void ioat_nic_core_vf_mbx_write(IoatNicCore *core, unsigned vf, hwaddr addr,
                                uint32_t val)
{
    uint32_t *mbx;

    assert(vf < IOAT_NIC_NUM_VFS && ioat_nic_core_vf_is_mbx(addr));
    mbx = ioat_nic_pfmailbox(core, vf);
    if (addr != IOAT_NIC_VFMAILBOX) {
        if (!(*mbx & IOAT_NIC_PFMAILBOX_VFU)) {
            IOAT_NIC_GUEST_ERR(ioat_nic_err_mbx_vf_unowned,
                               "VF %u: VFMBMEM word %u written without "
                               "holding the buffer (VFMAILBOX.VFU clear)", vf,
                               (unsigned)(addr - IOAT_NIC_VFMBMEM) / 4);
        }
        *ioat_nic_vfmbmem(core, vf, addr) = val;
        return;
    }
    trace_ioat_nic_mbx_vf_write(vf, val, *mbx);
    ioat_nic_mbx_take(mbx, val & IOAT_NIC_VFMAILBOX_VFU,
                      IOAT_NIC_PFMAILBOX_VFU, IOAT_NIC_PFMAILBOX_PFU);
    if (val & IOAT_NIC_VFMAILBOX_REQ) {
        ioat_nic_mbx_to_pf(core, vf, false);
    }
    if (val & IOAT_NIC_VFMAILBOX_ACK) {
        ioat_nic_mbx_to_pf(core, vf, true);
    }
}
