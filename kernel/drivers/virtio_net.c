/*
 * kernel/drivers/virtio_net.c - virtio network devices (virtio 1.x, 5.1)
 * as interfaces eth0, eth1, ...
 *
 * Queue 0 receives, queue 1 transmits; both interrupt through MSI-X table
 * entry 0, whose handler reaps both. Every frame travels with the 12-byte
 * struct virtio_net_hdr in front (VERSION_1 always has num_buffers).
 *
 * Receive: the ring is kept full of packet buffers (one descriptor each,
 * room for the header and a 1514-byte frame). The handler hands each
 * filled buffer to netif_rx() and puts a fresh one in its place. With
 * large receive (GUEST_TSO4, asked for only with GUEST_CSUM and
 * MRG_RXBUF) the host may send a TCP segment of up to 64 KiB; the
 * buffers are then RX_BIG, room for all of it, so that the device
 * writes it into one and the stack takes that buffer whole (with
 * 1514-byte buffers it came spread over up to 44 of them and rx_merge()
 * copied them into one packet: a copy of every byte, and 44 descriptors
 * for QEMU to fill). A small frame in a big buffer is copied out
 * (rx_copybreak) and the buffer goes back on the ring; big ones are
 * replaced from pkt.c's cache of such buffers. A full ring of them is 17 MiB
 * of posted buffers, as Linux's "big packets" mode; rx_post_limit() keeps
 * that to 1/32 of RAM on a small machine. rx_merge() still takes a frame
 * a device spreads over several buffers.
 * Without large receive (the host offers no GUEST_TSO4, or VNET_RX_TSO
 * is 0) frames are MTU-sized, and what one interrupt or one poll takes
 * goes through gro_rx() (kernel/net/gro.c), which merges a TCP flow's
 * consecutive segments so that TCP takes and ACKs one instead of many.
 * Receive interrupts are mitigated as Linux's NAPI does: once the
 * handler has handed frames to netrxd the queue asks for no interrupts
 * (VIRTQ_AVAIL_F_NO_INTERRUPT) and netrxd polls the ring after each
 * batch (vnet_flush), asking for interrupts again when it finds the
 * ring empty and looking once more after that.
 * Transmit: the frame's own buffer goes to the device (the header is
 * pushed into its headroom), as many in flight as the ring has room;
 * when the ring is full frames wait in a bounded backlog that the
 * completion interrupt drains. Interrupts and kicks, which cost the most
 * per frame under emulation, are kept to what is needed: transmit
 * completions are reaped by the next xmit, so the transmit queue asks the
 * device for no interrupts (VIRTQ_AVAIL_F_NO_INTERRUPT) except while the
 * backlog waits for room; a kick is skipped while the device says it is
 * already working through the queue (VIRTQ_USED_F_NO_NOTIFY, set by QEMU
 * until its transmit bottom half has run), and frames netrxd sends while
 * it works through received ones (ACKs) get one kick after the batch
 * (vnet_flush). Checksum offload: with VIRTIO_NET_F_CSUM a
 * PKT_CSUM_PARTIAL frame goes out with NEEDS_CSUM and the device (QEMU)
 * fills in the checksum. Receive checksum offload (GUEST_CSUM): the
 * device marks frames it checked (DATA_VALID) or that come from a local
 * sender with a partial checksum (NEEDS_CSUM), and the transports skip
 * their check. Negotiating it makes QEMU switch the tap's checksum
 * offload on, so the host kernel stops summing every frame it sends us as
 * well: downloads ran about twice as fast, round trips unchanged (old and
 * new build interleaved, 2026-12-06; an earlier measurement, 2026-11-24,
 * had seen round trips grow, which did not recur). VNET_RX_CSUM 0 turns
 * it off.
 * Segmentation offload (HOST_TSO4, which needs CSUM): a TCP packet of up
 * to 64 KiB with gso_size set (see tcp_output.c) goes in one descriptor
 * with gso_type TCPV4, gso_size and hdr_len; QEMU hands it to the tap
 * whole and the host kernel cuts it, so one ring slot, one kick and one
 * host write move what took up to 44 frames. The buffer is one kmalloc
 * block of whole pages, physically contiguous.
 */
#include "irq.h"
#include "mm.h"
#include "net/gro.h"
#include "net/netif.h"
#include "sync.h"
#include "virtio_pci.h"

#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_GUEST_TSO4 7
#define VIRTIO_NET_F_HOST_TSO4 11
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16

#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_TCPV4 1
#define VIRTIO_NET_S_LINK_UP 1

#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1

#define CFG_MAC 0
#define CFG_STATUS 6

#define VNET_RX_CSUM 1   /* ask for GUEST_CSUM; see the top comment */
#define VNET_RX_TSO 1    /* ask for GUEST_TSO4 + MRG_RXBUF (needs RX_CSUM) */
#define RX_MERGE_MAX 64  /* buffers one merged frame may span */
#define RX_POLL_BUDGET 64 /* frames one poll from netrxd hands up */

#define QUEUE_MAX 256
#define RX_FRAME (ETH_HLEN + ETH_DATA_LEN + 4)  /* + VLAN tag room */
#define RX_BUF (sizeof(struct virtio_net_hdr) + RX_FRAME)
/* With large receive: room for a whole 64 KiB IP packet in one buffer. */
#define RX_BIG (sizeof(struct virtio_net_hdr) + ETH_HLEN + 4 + 65535)
#define TX_BACKLOG 512

struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
} __packed;

struct vnet {
	struct virtio_dev vd;
	struct virtq rxq, txq;
	struct netif nif;
	spinlock_t lock;
	struct pkt *rx_pkts[QUEUE_MAX];   /* by descriptor */
	struct pkt *rx_batch[QUEUE_MAX];  /* one rx_reap's frames, for gro_rx() */
	uint32_t rx_buf_len;              /* RX_BUF, or RX_BIG with large receive */
	uint16_t rx_post_max;             /* buffers kept posted: rx_post_limit() */
	struct pkt_queue rx_spare;        /* buffers to post again (copy-break) */
	struct pkt *tx_pkts[QUEUE_MAX];
	struct pkt_queue backlog;
	int vector;
	bool kick_pending;                /* frames queued for vnet_flush */
	bool ready;
};

/* Kick q unless the device asked not to be notified. The full barrier
 * orders our avail->idx store before the flags load: QEMU clears the flag
 * and then re-reads avail->idx, so one of us sees the other. */
static void kick(struct virtq *q)
{
	__sync_synchronize();
	if (!(q->used->flags & VIRTQ_USED_F_NO_NOTIFY))
		virtq_kick(q);
}

/* Completion interrupts for the transmit queue: only while frames wait in
 * the backlog for room (then the handler drains it). Lock held. */
static void tx_irq_want(struct vnet *v, bool want)
{
	uint16_t f = want ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT;

	if (v->txq.avail->flags != f) {
		v->txq.avail->flags = f;
		__sync_synchronize();
	}
}

/* How many receive buffers to keep posted: the whole ring, except that
 * big buffers may take at most 1/32 of RAM (at 512 MiB the whole ring of
 * 256, 16 MiB; on a 64 MiB machine 32 of them, 2 MiB), and never fewer than
 * 16, one 1 MiB receive window. */
static uint16_t rx_post_limit(const struct vnet *v)
{
	size_t n = pmm_total_pages() * PAGE_SIZE / 32 / v->rx_buf_len;
	return (uint16_t)MIN(v->rxq.size, MAX(n, 16));
}

static unsigned rx_posted(const struct vnet *v)
{
	return v->rxq.size - v->rxq.num_free;
}

static void rx_fill(struct vnet *v)
{
	bool added = false;

	while (rx_posted(v) < v->rx_post_max) {
		struct pkt *p = pktq_pop(&v->rx_spare);
		int head;

		if (!p && !(p = pkt_alloc(v->rx_buf_len)))
			break;
		head = virtq_alloc_chain(&v->rxq, 1);
		volatile struct virtq_desc *d = virtq_chain_desc(&v->rxq, head, 0);
		d->addr = virt_to_phys(p->data);
		d->len = v->rx_buf_len;
		d->flags = VIRTQ_DESC_F_WRITE;
		v->rx_pkts[head] = p;
		virtq_submit(&v->rxq, head);
		added = true;
	}
	if (added)
		kick(&v->rxq);
}

/* The next used receive buffer, its length in *len; NULL when none is
 * there. Lock held. */
static struct pkt *rx_next(struct vnet *v, uint32_t *len, bool *any)
{
	int head = virtq_next_used(&v->rxq, len);
	struct pkt *p;

	*any = head >= 0;
	if (head < 0)
		return NULL;
	p = v->rx_pkts[head];
	v->rx_pkts[head] = NULL;
	virtq_free_chain(&v->rxq, head);
	if (p && *len > v->rx_buf_len) {
		pkt_free(p);
		p = NULL;
	}
	return p;
}

/* A frame the device spread over nbuf buffers (MRG_RXBUF: a large
 * receive segment of up to 64 KiB), first already taken: copied into one
 * packet. The device makes all of a frame's buffers used at once, so the
 * rest are there; NULL (frame dropped) if not or if memory is short. */
static struct pkt *rx_merge(struct vnet *v, struct pkt *first, unsigned nbuf)
{
	struct pkt *big = nbuf <= RX_MERGE_MAX ?
		pkt_alloc(MIN(nbuf * v->rx_buf_len, RX_MERGE_MAX * RX_BUF)) : NULL;
	bool ok = big != NULL;

	if (big)
		memcpy(pkt_put(big, first->len), first->data, first->len);
	pkt_free(first);
	for (unsigned i = 1; i < nbuf; i++) {
		uint32_t len;
		bool any;
		struct pkt *q = rx_next(v, &len, &any);

		if (!any) {
			ok = false;
			break;
		}
		uint8_t *to = q && ok ? pkt_put(big, len) : NULL;

		if (to)
			memcpy(to, q->data, len);
		else
			ok = false;
		pkt_free(q);
	}
	if (!ok) {
		pkt_free(big);
		return NULL;
	}
	return big;
}

/* A small frame in a big (RX_BIG) buffer: copied into a packet of its
 * own size, so that the big buffer goes straight back on the ring instead
 * of a new one being allocated. p itself if there is no memory. */
static struct pkt *rx_copybreak(struct vnet *v, struct pkt *p)
{
	struct pkt *c = pkt_alloc(p->len);

	if (!c)
		return p;
	memcpy(pkt_put(c, p->len), p->data, p->len);
	p->data = p->buf + PKT_HEADROOM;
	p->len = 0;
	pktq_push(&v->rx_spare, p);
	return c;
}

/* Hand up to budget received frames to netrxd; how many went. Without
 * large receive they go through gro_rx() as one batch. */
static unsigned rx_reap(struct vnet *v, unsigned budget)
{
	uint32_t len;
	bool any;
	unsigned n = 0, nb = 0;
	bool gro = v->rx_buf_len == RX_BUF;

	while (n < budget) {
		struct pkt *p = rx_next(v, &len, &any);
		struct virtio_net_hdr h;

		if (!any)
			break;
		if (!p || len < sizeof(h) + ETH_HLEN) {
			v->nif.stats.rx_errors++;
			pkt_free(p);
			continue;
		}
		p->len = len;
		memcpy(&h, pkt_pull(p, sizeof(h)), sizeof(h));
		if (virtio_has(&v->vd, VIRTIO_NET_F_MRG_RXBUF) && h.num_buffers > 1 &&
		    !(p = rx_merge(v, p, h.num_buffers))) {
			v->nif.stats.rx_errors++;
			continue;
		}
		if (p->len > ETH_HLEN + v->nif.mtu)
			v->nif.stats.rx_large++;
		else if (v->rx_buf_len > RX_BUF)
			p = rx_copybreak(v, p);
		if (h.flags & (VIRTIO_NET_HDR_F_DATA_VALID | VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
			p->csum_flags = PKT_CSUM_VERIFIED;
			v->nif.stats.rx_csum_offload++;
		}
		if (gro)
			v->rx_batch[nb++] = p;
		else
			netif_rx(&v->nif, p);
		n++;
	}
	if (nb)
		gro_rx(&v->nif, v->rx_batch, nb);
	rx_fill(v);
	return n;
}

static void tx_reap(struct vnet *v)
{
	int head;

	while ((head = virtq_next_used(&v->txq, NULL)) >= 0) {
		pkt_free(v->tx_pkts[head]);
		v->tx_pkts[head] = NULL;
		virtq_free_chain(&v->txq, head);
	}
}

/* Put p on the ring; false when the ring is full. Lock held. */
static bool tx_one(struct vnet *v, struct pkt *p)
{
	int head = virtq_alloc_chain(&v->txq, 1);

	if (head < 0)
		return false;
	volatile struct virtq_desc *d = virtq_chain_desc(&v->txq, head, 0);
	d->addr = virt_to_phys(p->data);
	d->len = p->len;
	d->flags = 0;
	v->tx_pkts[head] = p;
	virtq_submit(&v->txq, head);
	return true;
}

static void tx_drain(struct vnet *v)
{
	bool sent = false;
	struct pkt *p;

	while (v->backlog.head && v->txq.num_free) {
		p = pktq_pop(&v->backlog);
		tx_one(v, p);
		sent = true;
	}
	if (sent)
		kick(&v->txq);
	/* With frames still waiting, a completion must wake us; one may have
	 * come before the interrupt was asked for, so look again. */
	tx_irq_want(v, v->backlog.head != NULL);
	if (v->backlog.head) {
		tx_reap(v);
		while (v->backlog.head && v->txq.num_free) {
			tx_one(v, pktq_pop(&v->backlog));
			kick(&v->txq);
		}
		tx_irq_want(v, v->backlog.head != NULL);
	}
}

/* Receive interrupts, as Linux's NAPI: once the handler has handed
 * frames to netrxd, which will call vnet_flush after working through
 * them, the receive queue asks for no more interrupts; vnet_flush polls
 * the ring and asks for them again only when it finds it empty. Lock
 * held. */
static void rx_irq_want(struct vnet *v, bool want)
{
	uint16_t f = want ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT;

	if (v->rxq.avail->flags != f) {
		v->rxq.avail->flags = f;
		__sync_synchronize();
	}
}

static void vnet_irq(void *ctx)
{
	struct vnet *v = ctx;

	if (!READ_ONCE(v->ready))
		return;
	spin_lock(&v->lock);
	tx_reap(v);
	tx_drain(v);
	if (rx_reap(v, QUEUE_MAX))
		rx_irq_want(v, false);   /* netrxd polls from here on */
	spin_unlock(&v->lock);
}

static int vnet_xmit(struct netif *nif, struct pkt *p)
{
	struct vnet *v = nif->priv;
	struct virtio_net_hdr *h;
	size_t frame_len = p->len;

	h = (struct virtio_net_hdr *)pkt_push(p, sizeof(*h));
	if (!h) {
		nif->stats.tx_errors++;
		pkt_free(p);
		return -ENOBUFS;
	}
	memset(h, 0, sizeof(*h));
	if (p->csum_flags & PKT_CSUM_PARTIAL) {
		h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h->csum_start = ETH_HLEN + p->csum_start;
		h->csum_offset = p->csum_offset;
		nif->stats.tx_csum_offload++;
		if (p->gso_size) {
			/* The TCP header's data offset, in its 13th byte. */
			size_t tcp = sizeof(*h) + ETH_HLEN + p->csum_start;
			if (tcp + 20 <= p->len) {
				h->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
				h->gso_size = p->gso_size;
				h->hdr_len = (uint16_t)(ETH_HLEN + p->csum_start +
				                        (p->data[tcp + 12] >> 4) * 4);
				nif->stats.tx_tso++;
			}
		}
	}
	spin_lock(&v->lock);
	tx_reap(v);
	/* The receive ring is refilled by the interrupt handler; if memory
	 * was short then, half of it may be empty and no interrupt may come
	 * to fill it again: retry here. */
	if (rx_posted(v) < v->rx_post_max / 2)
		rx_fill(v);
	if (v->backlog.head || !tx_one(v, p)) {
		if (v->backlog.count >= TX_BACKLOG) {
			spin_unlock(&v->lock);
			nif->stats.tx_dropped++;
			pkt_free(p);
			return -ENOBUFS;
		}
		pktq_push(&v->backlog, p);
		tx_drain(v);
	} else if (netif_in_rx_batch()) {
		v->kick_pending = true;   /* vnet_flush, after the batch */
	} else {
		kick(&v->txq);
	}
	nif->stats.tx_packets++;
	nif->stats.tx_bytes += frame_len;
	spin_unlock(&v->lock);
	return 0;
}

static void vnet_flush(struct netif *nif)
{
	struct vnet *v = nif->priv;

	spin_lock(&v->lock);
	if (v->kick_pending) {
		v->kick_pending = false;
		kick(&v->txq);
	}
	/* Poll: frames found keep netrxd going (and interrupts off); an
	 * empty ring turns interrupts on, then is looked at once more for a
	 * frame that came before the device could see the flag. */
	if (!rx_reap(v, RX_POLL_BUDGET) && v->rxq.avail->flags) {
		rx_irq_want(v, true);
		if (rx_reap(v, RX_POLL_BUDGET))
			rx_irq_want(v, false);
	}
	spin_unlock(&v->lock);
}

static const struct netif_ops vnet_ops = { .xmit = vnet_xmit, .flush = vnet_flush };

static int vnet_probe(struct pci_device *pci)
{
	struct vnet *v = kzalloc(sizeof(*v));
	uint16_t status = VIRTIO_NET_S_LINK_UP;
	int err;

	if (!v)
		return -ENOMEM;
	spin_init(&v->lock, "virtio-net");
	err = virtio_pci_probe(pci, &v->vd);
	if (!err) {
		uint64_t offered = virtio_offered(&v->vd);
		uint64_t want = 1ULL << VIRTIO_NET_F_CSUM | 1ULL << VIRTIO_NET_F_MAC |
		                1ULL << VIRTIO_NET_F_STATUS |
		                (uint64_t)VNET_RX_CSUM << VIRTIO_NET_F_GUEST_CSUM;
		/* Each offload only with what it needs: TSO the checksum
		 * offload, large receive that and buffers a frame can span. */
		if (offered & 1ULL << VIRTIO_NET_F_CSUM)
			want |= 1ULL << VIRTIO_NET_F_HOST_TSO4;
		if (VNET_RX_CSUM && VNET_RX_TSO && (offered & 1ULL << VIRTIO_NET_F_GUEST_CSUM) &&
		    (offered & 1ULL << VIRTIO_NET_F_MRG_RXBUF))
			want |= 1ULL << VIRTIO_NET_F_GUEST_TSO4 | 1ULL << VIRTIO_NET_F_MRG_RXBUF;
		err = virtio_negotiate(&v->vd, want);
	}
	if (!err) {
		v->vector = irq_alloc_vector(vnet_irq, v);
		if (v->vector < 0 || pci_msix_set(pci, 0, v->vector) < 0)
			err = -ENODEV;
	}
	if (!err)
		err = virtq_setup(&v->vd, &v->rxq, 0, QUEUE_MAX, 0);
	if (!err)
		err = virtq_setup(&v->vd, &v->txq, 1, QUEUE_MAX, 0);
	if (err) {
		kprintf(KERN_WARNING "virtio-net %02x:%02x.%x: setup failed (%d)\n",
		        pci->bus, pci->dev, pci->fn, err);
		if (v->vd.common)
			virtio_fail(&v->vd);
		kfree(v);   /* queue pages and vector, if any, are leaked */
		return err;
	}
	if (virtio_has(&v->vd, VIRTIO_NET_F_MAC))
		virtio_read_config(&v->vd, CFG_MAC, v->nif.mac, ETH_ALEN);
	else   /* a locally administered address of our own */
		memcpy(v->nif.mac, (uint8_t[]){ 0x02, 0x52, 0x41, 0x59, 0, pci->dev }, 6);
	if (virtio_has(&v->vd, VIRTIO_NET_F_STATUS))
		virtio_read_config(&v->vd, CFG_STATUS, &status, sizeof(status));
	v->nif.mtu = ETH_DATA_LEN;
	v->nif.flags = IFF_BROADCAST | IFF_MULTICAST;
	v->nif.features = virtio_has(&v->vd, VIRTIO_NET_F_CSUM) ? NETIF_F_TX_CSUM : 0;
	if (virtio_has(&v->vd, VIRTIO_NET_F_CSUM) && virtio_has(&v->vd, VIRTIO_NET_F_HOST_TSO4))
		v->nif.features |= NETIF_F_TSO;
	v->nif.ops = &vnet_ops;
	v->nif.priv = v;
	v->rx_buf_len = virtio_has(&v->vd, VIRTIO_NET_F_GUEST_TSO4) ? RX_BIG : RX_BUF;
	v->rx_post_max = rx_post_limit(v);

	spin_lock(&v->lock);
	tx_irq_want(v, false);
	rx_fill(v);
	spin_unlock(&v->lock);
	WRITE_ONCE(v->ready, true);
	virtio_driver_ok(&v->vd);
	netif_register(&v->nif, "eth");
	netif_set_link(&v->nif, status & VIRTIO_NET_S_LINK_UP);
	kprintf("virtio-net: %s: queues %u/%u (%u receive buffers of %u bytes), "
	        "checksum offload tx %s rx %s, tso %s, large receive %s\n",
	        v->nif.name, v->rxq.size, v->txq.size, v->rx_post_max, v->rx_buf_len,
	        virtio_has(&v->vd, VIRTIO_NET_F_CSUM) ? "on" : "off",
	        virtio_has(&v->vd, VIRTIO_NET_F_GUEST_CSUM) ? "on" : "off",
	        (v->nif.features & NETIF_F_TSO) ? "on" : "off",
	        virtio_has(&v->vd, VIRTIO_NET_F_GUEST_TSO4) ? "on" : "off");
	return 0;
}

void virtio_net_init(void)
{
	for (struct pci_device *d = pci_devices; d; d = d->next)
		if (virtio_pci_type(d) == VIRTIO_ID_NET)
			vnet_probe(d);
}
