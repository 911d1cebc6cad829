/*
 * kernel/drivers/e1000.c - Intel 82540EM gigabit Ethernet (QEMU's
 * "e1000"), from Intel's PCI/PCI-X Family of Gigabit Ethernet Controllers
 * Software Developer's Manual (8254x), chapters 3, 13 and 14.
 *
 * Legacy descriptors, one 256-entry ring each way in one page apiece.
 * Receive buffers are packet buffers with room for a 1522-byte frame:
 * RCTL.BSIZE says 2048, but with long-packet reception (LPE) off the
 * controller drops anything longer than 1522 bytes, so it never writes
 * more. The ring is kept full; the interrupt handler takes the filled
 * buffers, gives each slot a fresh one, and passes the frames to
 * the stack through gro_rx(), which merges consecutive TCP segments of
 * one flow (kernel/net/gro.c).
 * Transmit puts the frame's own buffer in a descriptor (EOP|IFCS|RS) and
 * frees it once the controller reports it done (DD); short frames are
 * padded by the controller (TCTL.PSP).
 *
 * Checksum offload (manual 3.3.5-3.3.7). Transmit: a PKT_CSUM_PARTIAL
 * frame goes out in an extended data descriptor with POPTS.TXSM; the
 * offsets the controller sums from (TUCSS, to the end of the frame) and
 * stores at (TUCSO) come from the last TCP/IP context descriptor, which
 * takes a ring slot of its own, so one is written only when the offsets
 * change (TCP and UDP alternate rarely). The stack leaves the
 * pseudo-header sum in the checksum field, which the controller's sum
 * includes, as Linux's e1000 driver relies on too. The IP header checksum
 * stays in software (it is 20 bytes). Receive: RXCSUM.TUOFLD asks the
 * controller to check TCP/UDP checksums and report TCPCS (and TCPE when
 * wrong) in the descriptor; a frame with IXSM set was not checked. QEMU's
 * e1000 model always sets IXSM (it never checks), so under QEMU the
 * received checksums are verified in software (TCP data segments by
 * gro_rx(), the rest by the transports); a real 8254x does set TCPCS. Both
 * directions count in nif.stats (/proc/net/offload).
 *
 * Segmentation offload (TSO, manual 3.3.6 and 3.5; NETIF_F_TSO): TCP
 * hands down packets of up to 64 KiB with gso_size = MSS (tcp_output.c).
 * Each gets a TCP/IP context descriptor with TSE (header offsets for
 * both checksums, HDRLEN, MSS, PAYLEN) and the frame in data descriptors
 * of at most TX_CHUNK bytes with TSE, IXSM and TXSM; the controller cuts
 * it into MSS-sized frames, each with the headers copied and IP length,
 * IP id (+1 a segment; ip_output reserves that many ids), sequence
 * number, PSH/FIN (last only) and both checksums redone. tso_prepare()
 * sets the fields up as the controller wants them: IP checksum 0, TCP
 * checksum the pseudo-header sum without length. A real 82540EM keeps
 * one context, so a TSO context replaces the checksum one and the next
 * checksum-offloaded frame writes its own again. QEMU's model (7.2) sends
 * one header-only segment more after a packet whose payload is a whole
 * number of MSS - a pure ACK, redundant and harmless to a one-way
 * transfer; Linux's e1000 driver gets the same on QEMU. One TDT write
 * moves what took up to 44, and the stack builds one packet instead of
 * 44: QEMU's CPU time per MB uploaded about halved (27-30 -> 11-13 ms
 * and 16 -> 8.6 ms in two sessions, old and new build alternating).
 *
 * Doorbells and interrupts: QEMU's model completes a transmit descriptor
 * during the TDT write itself, so completions are reaped by the next
 * xmit (and by the receive interrupt) and TXDW stays masked. A frame
 * that finds the ring full (TCP hands down 64 KiB packets of 17
 * descriptors each, 15 fill it) waits in a bounded backlog rather than
 * being dropped - a drop is a loss TCP must recover from: the device
 * gets the ring at once and the backlog follows as room comes back
 * (tx_drain; TXDW is unmasked only while frames wait). Frames
 * netrxd sends while it works through received ones share one TDT write
 * after the batch (e1000_flush). Interrupts are throttled to at most one
 * per E1000_ITR_US microseconds (ITR, manual 13.4.18), as Linux's e1000
 * driver starts out (20000 a second): a burst of frames is taken in one
 * interrupt. (QEMU's model, with its default mitigation on, never
 * interrupts more often than every 128 us whatever ITR says.) Where a
 * download's time goes (RIP sampled through QEMU's monitor, 2026-12-06):
 * about 37% of the guest's samples sit on the TDT writes - QEMU sends the
 * ACKs during the write, and the host's TCP takes each one there and then
 * - against 6% in the interrupt handler and 4% in the EOI; a 250 us
 * throttle (Linux's bulk setting) did not lower QEMU's CPU time per MB.
 * Downloads gain from fewer ACKs, not fewer interrupts: hence gro_rx()
 * (kernel/net/gro.c; it began here as the driver's own LRO), which hands
 * TCP what one interrupt took of a flow as one segment; QEMU's CPU time
 * per MB downloaded fell from 21-22 ms to 15-16.
 *
 * The 82540EM has neither MSI nor MSI-X, so it uses its INTx
 * line. On QEMU's q35 machine a function on bus 0 slot S with pin P
 * (A=0) is wired to PIRQ (S + P) % 4 + 4, i.e. GSI 16 + that, level
 * triggered and active high - the fixed routing QEMU's ACPI _PRT
 * describes (hw/isa/lpc_ich9.c). Reading ICR acknowledges the interrupt
 * and lowers the line.
 */
#include "irq.h"
#include "mm.h"
#include "net/gro.h"
#include "net/ip_hdr.h"
#include "net/netif.h"
#include "sync.h"
#include "pci.h"
#include "ktime.h"

#define E1000_VENDOR 0x8086
#define E1000_DEV_82540EM 0x100e

#define REG_CTRL 0x0000
#define REG_STATUS 0x0008
#define REG_EERD 0x0014
#define REG_ICR 0x00c0
#define REG_ITR 0x00c4
#define REG_IMS 0x00d0
#define REG_IMC 0x00d8
#define REG_RCTL 0x0100
#define REG_TCTL 0x0400
#define REG_TIPG 0x0410
#define REG_RDBAL 0x2800
#define REG_RDBAH 0x2804
#define REG_RDLEN 0x2808
#define REG_RDH 0x2810
#define REG_RDT 0x2818
#define REG_TDBAL 0x3800
#define REG_TDBAH 0x3804
#define REG_TDLEN 0x3808
#define REG_TDH 0x3810
#define REG_TDT 0x3818
#define REG_RXCSUM 0x5000
#define REG_MTA 0x5200
#define REG_RAL0 0x5400
#define REG_RAH0 0x5404

#define CTRL_ASDE (1u << 5)
#define CTRL_SLU (1u << 6)
#define CTRL_RST (1u << 26)
#define STATUS_LU (1u << 1)
#define RCTL_EN (1u << 1)
#define RCTL_BAM (1u << 15)
#define RCTL_SECRC (1u << 26)
#define TCTL_EN (1u << 1)
#define TCTL_PSP (1u << 3)
#define TCTL_CT (0x10u << 4)
#define TCTL_COLD (0x40u << 12)
#define ICR_TXDW (1u << 0)
#define ICR_LSC (1u << 2)
#define ICR_RXDMT0 (1u << 4)
#define ICR_RXO (1u << 6)
#define ICR_RXT0 (1u << 7)
#define RAH_AV (1u << 31)
#define RXCSUM_IPOFLD (1u << 8)
#define RXCSUM_TUOFLD (1u << 9)

#define RXD_STAT_DD 0x01
#define RXD_STAT_EOP 0x02
#define RXD_STAT_IXSM 0x04      /* ignore the checksum bits */
#define RXD_STAT_TCPCS 0x20     /* TCP/UDP checksum checked */
#define RXD_ERR_FRAME 0x97      /* CE, SE, SEQ, CXE, RXE: a bad frame */
#define RXD_ERR_TCPE 0x20       /* TCP/UDP checksum wrong */
#define TXD_CMD_EOP 0x01
#define TXD_CMD_IFCS 0x02
#define TXD_CMD_TSE 0x04       /* TCP segmentation (context and data) */
#define TXD_CMD_RS 0x08
#define TXD_CMD_DEXT 0x20       /* extended (context or data) descriptor */
#define TXD_TUCMD_TCP 0x01      /* context: the transport is TCP */
#define TXD_TUCMD_IP 0x02       /* context: the network layer is IPv4 */
#define TXD_DTYP_D (1u << 20)   /* extended data descriptor, in the length word */
#define TXD_POPTS_IXSM 0x01     /* insert the IP header checksum */
#define TXD_POPTS_TXSM 0x02     /* insert the TCP/UDP checksum */
#define TXD_STAT_DD 0x01
#define TX_CHUNK 4096           /* bytes per data descriptor, as Linux's */

#define NDESC 256
#define TX_BACKLOG 512          /* frames waiting for ring room, at most */
#define E1000_ITR_US 50   /* receive interrupt throttle; 0: none */
#define RX_BUF 1536

struct rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
} __packed;

struct tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
} __packed;

/* TCP/IP context descriptor: DTYP 0 with DEXT; shares tx_desc's slot and
 * its status byte (offset 12). */
struct tx_ctx_desc {
	uint8_t ipcss, ipcso;
	uint16_t ipcse;
	uint8_t tucss, tucso;
	uint16_t tucse;            /* 0: to the end of the frame */
	uint32_t cmd_len;          /* PAYLEN 0-19, DTYP 20-23, TUCMD 24-31 */
	uint8_t status, hdr_len;
	uint16_t mss;
} __packed;

/* Extended data descriptor, as written (flat words). */
struct tx_data_desc {
	uint64_t addr;
	uint32_t lower;            /* length 0-15, DTYP 20-23, DCMD 24-31 */
	uint32_t upper;            /* status 0-7, POPTS 8-15, special 16-31 */
} __packed;

struct e1000 {
	volatile uint8_t *regs;
	struct netif nif;
	spinlock_t lock;
	volatile struct rx_desc *rx;
	volatile struct tx_desc *tx;
	struct pkt *rx_pkts[NDESC], *tx_pkts[NDESC];
	struct pkt *rx_batch[NDESC];   /* frames one rx_reap took, for gro_rx() */
	unsigned rx_next;              /* next descriptor to look at */
	unsigned tx_tail, tx_clean;    /* produce at tail, reclaim at clean */
	uint8_t ctx_css, ctx_cso;      /* offsets of the last context; 0: none */
	bool tdt_pending;              /* tx_tail not yet written to TDT */
	struct pkt_queue backlog;      /* frames waiting for ring room */
	bool ready;
};

static inline uint32_t rd(struct e1000 *e, unsigned reg)
{
	return *(volatile uint32_t *)(e->regs + reg);
}
static inline void wr(struct e1000 *e, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(e->regs + reg) = v;
}

static void rx_set(struct e1000 *e, unsigned i, struct pkt *p)
{
	e->rx_pkts[i] = p;
	e->rx[i].status = 0;
	e->rx[i].addr = virt_to_phys(p->data);
}

/* A slot always owns a buffer: when no fresh one can be had, the frame
 * in it is dropped and its buffer reused. */
static void rx_reap(struct e1000 *e)
{
	unsigned last = NDESC, n = 0;

	for (;;) {
		unsigned i = e->rx_next;
		volatile struct rx_desc *d = &e->rx[i];
		struct pkt *p = e->rx_pkts[i], *fresh;

		if (n == NDESC || !(d->status & RXD_STAT_DD))
			break;
		barrier();
		unsigned len = d->length;
		uint8_t status = d->status, errors = d->errors;
		if ((errors & RXD_ERR_FRAME) || !(status & RXD_STAT_EOP) ||
		    len < ETH_HLEN || len > RX_BUF) {
			e->nif.stats.rx_errors++;
			rx_set(e, i, p);
		} else if (!(fresh = pkt_alloc(RX_BUF))) {
			e->nif.stats.rx_dropped++;
			rx_set(e, i, p);
		} else {
			p->len = len;
			/* A wrong checksum goes up unverified: the transport
			 * counts and drops it like any other. */
			if ((status & (RXD_STAT_IXSM | RXD_STAT_TCPCS)) == RXD_STAT_TCPCS) {
				if (errors & RXD_ERR_TCPE) {
					e->nif.stats.rx_csum_bad++;
				} else {
					p->csum_flags = PKT_CSUM_VERIFIED;
					e->nif.stats.rx_csum_offload++;
				}
			}
			e->rx_batch[n++] = p;
			rx_set(e, i, fresh);
		}
		last = i;
		e->rx_next = (i + 1) % NDESC;
	}
	if (last != NDESC)
		wr(e, REG_RDT, last);   /* hand the slots back */
	gro_rx(&e->nif, e->rx_batch, n);
}

/* Context descriptors are sent with RS too, so every slot reports DD and
 * is reclaimed in order; their tx_pkts entry is NULL. */
static void tx_reap(struct e1000 *e)
{
	while (e->tx_clean != e->tx_tail &&
	       (e->tx[e->tx_clean].status & TXD_STAT_DD)) {
		if (e->tx_pkts[e->tx_clean])
			pkt_free(e->tx_pkts[e->tx_clean]);
		e->tx_pkts[e->tx_clean] = NULL;
		e->tx_clean = (e->tx_clean + 1) % NDESC;
	}
}

static void tx_drain(struct e1000 *e);

static void e1000_irq(void *ctx)
{
	struct e1000 *e = ctx;
	uint32_t icr;

	if (!READ_ONCE(e->ready))
		return;
	icr = rd(e, REG_ICR);   /* reading acknowledges */
	if (!icr)
		return;
	spin_lock(&e->lock);
	if (icr & ICR_LSC)
		netif_set_link(&e->nif, rd(e, REG_STATUS) & STATUS_LU);
	if (icr & ICR_RXO)
		e->nif.stats.rx_dropped++;
	tx_reap(e);
	if (e->backlog.head)
		tx_drain(e);
	rx_reap(e);
	spin_unlock(&e->lock);
}

/* Write a context descriptor for checksum offsets css/cso into slot i.
 * Lock held. */
static void tx_context(struct e1000 *e, unsigned i, uint8_t css, uint8_t cso)
{
	volatile struct tx_ctx_desc *c = (volatile struct tx_ctx_desc *)&e->tx[i];

	e->tx_pkts[i] = NULL;
	c->ipcss = c->ipcso = 0;
	c->ipcse = 0;
	c->tucss = css;
	c->tucso = cso;
	c->tucse = 0;
	c->hdr_len = 0;
	c->mss = 0;
	c->status = 0;
	c->cmd_len = (uint32_t)(TXD_CMD_DEXT | TXD_CMD_RS) << 24;
	e->ctx_css = css;
	e->ctx_cso = cso;
}

/* A TSO packet: Ethernet, IPv4 and TCP headers (hdr_len bytes in all)
 * then up to 64 KiB of payload that the controller cuts into gso_size
 * pieces, giving each a copy of the headers with IP total length, IP id
 * (+1 a segment), sequence number and both checksums redone, and PSH and
 * FIN only on the last. For that the IP checksum field must be 0 and the
 * TCP one hold the pseudo-header sum without the length, which the
 * controller adds per segment (manual 3.5.9; Linux's e1000 does the
 * same). Returns hdr_len, or 0 for a packet that is not IPv4/TCP as
 * expected. */
static unsigned tso_prepare(struct pkt *p)
{
	struct ip_hdr *ip = (struct ip_hdr *)(p->data + ETH_HLEN);
	unsigned iphl, thl, hdr_len;
	uint8_t *th;
	uint32_t ps;

	if (p->len < ETH_HLEN + IP_HLEN + 20 ||
	    p->data[12] != ETH_P_IP >> 8 || p->data[13] != (ETH_P_IP & 0xff) ||
	    (ip->vihl >> 4) != 4 || ip->proto != IPPROTO_TCP)
		return 0;
	iphl = ip_hlen(ip);
	th = p->data + ETH_HLEN + iphl;
	if (iphl < IP_HLEN || p->csum_start != iphl || p->csum_offset != 16 ||
	    ETH_HLEN + iphl + 20 > p->len)
		return 0;
	thl = (th[12] >> 4) * 4u;
	hdr_len = ETH_HLEN + iphl + thl;
	if (thl < 20 || hdr_len > 255 || hdr_len >= p->len)
		return 0;
	ip->csum = 0;
	ps = inet_pseudo_sum(ip->src, ip->dst, IPPROTO_TCP, 0);
	ps = (ps & 0xffff) + (ps >> 16);
	ps = (ps & 0xffff) + (ps >> 16);
	memcpy(th + 16, &(uint16_t){ (uint16_t)ps }, 2);
	return hdr_len;
}

/* Write a TSO context descriptor into slot i. Lock held. The controller
 * (a real 82540EM) keeps one context, so the checksum context is gone. */
static void tx_tso_context(struct e1000 *e, unsigned i, struct pkt *p,
                           unsigned hdr_len)
{
	volatile struct tx_ctx_desc *c = (volatile struct tx_ctx_desc *)&e->tx[i];
	unsigned iphl = ip_hlen((struct ip_hdr *)(p->data + ETH_HLEN));

	e->tx_pkts[i] = NULL;
	c->ipcss = ETH_HLEN;
	c->ipcso = ETH_HLEN + offsetof(struct ip_hdr, csum);
	c->ipcse = (uint16_t)(ETH_HLEN + iphl - 1);
	c->tucss = (uint8_t)(ETH_HLEN + iphl);
	c->tucso = (uint8_t)(ETH_HLEN + iphl + 16);
	c->tucse = 0;
	c->hdr_len = (uint8_t)hdr_len;
	c->mss = p->gso_size;
	c->status = 0;
	c->cmd_len = (uint32_t)(p->len - hdr_len) |
	             (uint32_t)(TXD_TUCMD_TCP | TXD_TUCMD_IP | TXD_CMD_TSE |
	                        TXD_CMD_DEXT | TXD_CMD_RS) << 24;
	e->ctx_css = e->ctx_cso = 0;
}

/* Put p on the ring. False, with p untouched, when the ring has no room
 * for it. Lock held; p was checked (and prepared for TSO) by xmit. */
static bool tx_one(struct e1000 *e, struct pkt *p)
{
	bool offload = p->csum_flags & PKT_CSUM_PARTIAL;
	unsigned css = ETH_HLEN + p->csum_start, cso = css + p->csum_offset;
	unsigned hdr_len = 0, segs = 1, ndata = 1;
	bool new_ctx;
	unsigned i, need;

	if (offload && p->gso_size) {
		/* tso_prepare() checked these headers. */
		hdr_len = css + (p->data[css + 12] >> 4) * 4u;
		segs = (p->len - hdr_len + p->gso_size - 1) / p->gso_size;
		ndata = (p->len + TX_CHUNK - 1) / TX_CHUNK;
	}
	new_ctx = hdr_len || (offload && (e->ctx_css != css || e->ctx_cso != cso));
	need = (new_ctx ? 1 : 0) + ndata;
	/* One slot stays empty: tail == clean means an empty ring. */
	if ((e->tx_clean + NDESC - e->tx_tail - 1) % NDESC < need)
		return false;
	i = e->tx_tail;
	if (hdr_len) {
		tx_tso_context(e, i, p, hdr_len);
		i = (i + 1) % NDESC;
	} else if (new_ctx) {
		tx_context(e, i, css, cso);
		i = (i + 1) % NDESC;
	}
	if (offload) {
		/* TSO: the frame in TX_CHUNK pieces, one descriptor each; the
		 * packet is freed with the last (EOP) one. */
		uint32_t cmd = TXD_CMD_IFCS | TXD_CMD_RS | TXD_CMD_DEXT |
		               (hdr_len ? TXD_CMD_TSE : 0);
		uint32_t popts = TXD_POPTS_TXSM | (hdr_len ? TXD_POPTS_IXSM : 0);
		phys_addr_t pa = virt_to_phys(p->data);
		size_t off = 0;

		for (unsigned k = 0; k < ndata; k++) {
			volatile struct tx_data_desc *d = (volatile struct tx_data_desc *)&e->tx[i];
			size_t n = MIN(p->len - off, (size_t)TX_CHUNK);
			bool last = k + 1 == ndata;

			e->tx_pkts[i] = last ? p : NULL;
			d->addr = pa + off;
			d->upper = popts << 8;
			d->lower = (uint32_t)n | TXD_DTYP_D |
			           (cmd | (last ? TXD_CMD_EOP : 0)) << 24;
			off += n;
			if (!last)
				i = (i + 1) % NDESC;
		}
		e->nif.stats.tx_csum_offload++;
		if (hdr_len)
			e->nif.stats.tx_tso++;
	} else {
		e->tx_pkts[i] = p;
		e->tx[i].addr = virt_to_phys(p->data);
		e->tx[i].length = p->len;
		e->tx[i].cso = 0;
		e->tx[i].css = 0;
		e->tx[i].special = 0;
		e->tx[i].status = 0;
		e->tx[i].cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS;
	}
	/* As on the wire (Linux counts so too): each segment its headers. */
	e->nif.stats.tx_packets += segs;
	e->nif.stats.tx_bytes += p->len + (segs - 1) * hdr_len;
	e->tx_tail = (i + 1) % NDESC;
	return true;
}

/* Tell the device about what is on the ring; from netrxd, once after
 * the batch (e1000_flush). Lock held. */
static void tx_doorbell(struct e1000 *e, bool now)
{
	if (!now && netif_in_rx_batch()) {
		e->tdt_pending = true;
		return;
	}
	barrier();
	wr(e, REG_TDT, e->tx_tail);
	e->tdt_pending = false;
}

/* Move what fits of the backlog onto the ring; true if anything moved. */
static bool tx_fill(struct e1000 *e)
{
	bool moved = false;

	while (e->backlog.head && tx_one(e, e->backlog.head)) {
		pktq_pop(&e->backlog);
		moved = true;
	}
	return moved;
}

/* Move backlogged frames onto the ring. When it is full, the device
 * gets what is on it at once and what it has finished is reclaimed:
 * QEMU's model sends during the TDT write, so room comes back then; a
 * real controller reports it later with TXDW, which stays unmasked
 * while frames wait. Lock held. */
static void tx_drain(struct e1000 *e)
{
	bool queued = tx_fill(e);

	while (e->backlog.head) {
		unsigned clean = e->tx_clean;
		tx_doorbell(e, true);
		tx_reap(e);
		queued = false;
		if (e->tx_clean == clean)
			break;   /* still busy: TXDW will bring us back */
		queued = tx_fill(e);
	}
	if (queued)
		tx_doorbell(e, false);
	if (e->backlog.head) {
		wr(e, REG_IMS, ICR_TXDW);
		/* It may have finished before TXDW was unmasked: look again. */
		tx_reap(e);
		if (tx_fill(e))
			tx_doorbell(e, true);
	} else {
		wr(e, REG_IMC, ICR_TXDW);
	}
}

static int e1000_xmit(struct netif *nif, struct pkt *p)
{
	struct e1000 *e = nif->priv;
	bool offload = p->csum_flags & PKT_CSUM_PARTIAL;
	unsigned cso = ETH_HLEN + p->csum_start + p->csum_offset;

	/* The offsets are bytes in the descriptor; the checksum field must
	 * lie inside the frame. */
	if ((offload && (cso > 255 || cso + 2 > p->len)) ||
	    (offload && p->gso_size && !tso_prepare(p))) {
		nif->stats.tx_errors++;
		pkt_free(p);
		return -EINVAL;
	}
	if (!(offload && p->gso_size) && p->len > ETH_HLEN + nif->mtu) {
		nif->stats.tx_errors++;
		pkt_free(p);
		return -EMSGSIZE;
	}
	spin_lock(&e->lock);
	tx_reap(e);
	if (!e->backlog.head && tx_one(e, p)) {
		tx_doorbell(e, false);
	} else if (e->backlog.count < TX_BACKLOG) {
		/* The ring is full: wait in order behind the others. */
		pktq_push(&e->backlog, p);
		tx_drain(e);
	} else {
		spin_unlock(&e->lock);
		nif->stats.tx_dropped++;
		pkt_free(p);
		return -ENOBUFS;
	}
	spin_unlock(&e->lock);
	return 0;
}

static void e1000_flush(struct netif *nif)
{
	struct e1000 *e = nif->priv;

	spin_lock(&e->lock);
	if (e->tdt_pending)
		tx_doorbell(e, true);
	spin_unlock(&e->lock);
}

static const struct netif_ops e1000_ops = { .xmit = e1000_xmit, .flush = e1000_flush };

static uint16_t eeprom_read(struct e1000 *e, unsigned word)
{
	wr(e, REG_EERD, 1u | word << 8);
	for (int i = 0; i < 10000; i++) {
		uint32_t v = rd(e, REG_EERD);
		if (v & (1u << 4))
			return v >> 16;
		udelay(1);
	}
	return 0xffff;
}

static int e1000_probe(struct pci_device *pci)
{
	struct e1000 *e;
	phys_addr_t rxp, txp;
	int vec;

	if (pci->bar_is_io[0] || !pci->bar[0] || pci->bar_size[0] < 0x20000)
		return -ENODEV;
	e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	spin_init(&e->lock, "e1000");
	e->regs = ioremap(pci->bar[0], pci->bar_size[0]);
	rxp = page_alloc_zero();
	txp = page_alloc_zero();
	if (!e->regs || !rxp || !txp) {
		kfree(e);
		return -ENOMEM;
	}
	pci_enable_bus_master(pci);
	/* Reset, then mask everything until we are ready. */
	wr(e, REG_IMC, ~0u);
	wr(e, REG_CTRL, rd(e, REG_CTRL) | CTRL_RST);
	udelay(1000);
	for (int i = 0; i < 1000 && (rd(e, REG_CTRL) & CTRL_RST); i++)
		udelay(10);
	wr(e, REG_IMC, ~0u);
	(void)rd(e, REG_ICR);

	uint32_t ral = rd(e, REG_RAL0), rah = rd(e, REG_RAH0);
	if (rah & RAH_AV) {
		for (int i = 0; i < 4; i++)
			e->nif.mac[i] = ral >> (8 * i);
		e->nif.mac[4] = rah;
		e->nif.mac[5] = rah >> 8;
	} else {
		for (int i = 0; i < 3; i++) {
			uint16_t w = eeprom_read(e, i);
			e->nif.mac[2 * i] = w;
			e->nif.mac[2 * i + 1] = w >> 8;
		}
		wr(e, REG_RAL0, e->nif.mac[0] | e->nif.mac[1] << 8 |
		   e->nif.mac[2] << 16 | (uint32_t)e->nif.mac[3] << 24);
		wr(e, REG_RAH0, e->nif.mac[4] | e->nif.mac[5] << 8 | RAH_AV);
	}
	wr(e, REG_CTRL, (rd(e, REG_CTRL) | CTRL_SLU | CTRL_ASDE));
	for (int i = 0; i < 128; i++)
		wr(e, REG_MTA + 4 * i, 0);

	e->rx = phys_to_virt(rxp);
	e->tx = phys_to_virt(txp);
	for (unsigned i = 0; i < NDESC; i++) {
		struct pkt *p = pkt_alloc(RX_BUF);
		if (!p) {
			kfree(e);   /* rings and buffers leaked: boot is failing */
			return -ENOMEM;
		}
		rx_set(e, i, p);
	}
	wr(e, REG_RDBAL, (uint32_t)rxp);
	wr(e, REG_RDBAH, (uint32_t)(rxp >> 32));
	wr(e, REG_RDLEN, NDESC * sizeof(struct rx_desc));
	wr(e, REG_RDH, 0);
	wr(e, REG_RDT, NDESC - 1);
	wr(e, REG_TDBAL, (uint32_t)txp);
	wr(e, REG_TDBAH, (uint32_t)(txp >> 32));
	wr(e, REG_TDLEN, NDESC * sizeof(struct tx_desc));
	wr(e, REG_TDH, 0);
	wr(e, REG_TDT, 0);
	wr(e, REG_TIPG, 10 | 8 << 10 | 6 << 20);
	wr(e, REG_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
	wr(e, REG_RXCSUM, RXCSUM_IPOFLD | RXCSUM_TUOFLD);
	wr(e, REG_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);

	uint8_t pin = pci_read8(pci, 0x3d);
	unsigned gsi = 16 + (pci->dev + (pin ? pin - 1 : 0)) % 4 + 4;
	vec = pci->bus == 0 && pin ? irq_route_gsi(gsi, true, false, e1000_irq, e) :
	      -ENODEV;
	if (vec < 0) {
		kprintf(KERN_WARNING "e1000 %02x:%02x.%x: no interrupt line (%d)\n",
		        pci->bus, pci->dev, pci->fn, vec);
		kfree(e);   /* rings leaked */
		return vec;
	}

	e->nif.mtu = ETH_DATA_LEN;
	e->nif.flags = IFF_BROADCAST | IFF_MULTICAST;
	e->nif.features = NETIF_F_TX_CSUM | NETIF_F_TSO;
	e->nif.ops = &e1000_ops;
	e->nif.priv = e;
	netif_register(&e->nif, "eth");
	netif_set_link(&e->nif, rd(e, REG_STATUS) & STATUS_LU);
	WRITE_ONCE(e->ready, true);
	wr(e, REG_ITR, E1000_ITR_US * 1000 / 256);   /* in 256 ns units */
	wr(e, REG_IMS, ICR_LSC | ICR_RXDMT0 | ICR_RXO | ICR_RXT0);
	kprintf("e1000: %s: 82540EM, GSI %u, rings %u/%u, checksum offload tx on rx on, tso on\n",
	        e->nif.name, gsi, NDESC, NDESC);
	return 0;
}

void e1000_init(void)
{
	for (struct pci_device *d = pci_devices; d; d = d->next)
		if (d->vendor == E1000_VENDOR && d->device == E1000_DEV_82540EM)
			e1000_probe(d);
}
