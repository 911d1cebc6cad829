/*
 * kernel/drivers/virtio_blk.c - virtio block devices (virtio 1.x, 5.2) as
 * block devices vda, vdb, ...
 *
 * One request queue per disk, interrupt-driven through MSI-X. A request is
 * a three-descriptor chain: header (type, sector), data, status byte. Up to
 * NSLOTS requests are in flight per disk; each owns a "slot" holding its
 * header, status byte and (lazily allocated) bounce buffer, so the
 * interrupt handler only has to mark the slot done and wake the sleepers.
 *
 * DMA addresses: a buffer in the direct map is physically contiguous by
 * construction and is handed to the device as is; anything else (kernel
 * image, other mappings) is copied through the slot's bounce buffer.
 * Transfers are split into chunks of at most 128 KiB (less if the device
 * says SIZE_MAX).
 *
 * If MSI-X cannot be set up, or a request is made with interrupts off
 * (early boot), completion is found by polling the used ring instead.
 */
#include "block.h"
#include "irq.h"
#include "mm.h"
#include "sync.h"
#include "virtio_pci.h"
#include "arch.h"

#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0

/* Device configuration offsets. */
#define CFG_CAPACITY 0
#define CFG_SIZE_MAX 8

#define CHUNK_BYTES (128 * 1024)
#define CHUNK_PAGES (CHUNK_BYTES / PAGE_SIZE)
#define NSLOTS 8
#define QUEUE_MAX 128

struct blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct blk_slot {
	bool busy;          /* owned by a request (under vblk.lock) */
	volatile bool done; /* set by the completion path */
	phys_addr_t bounce; /* CHUNK_BYTES, or 0 until first needed */
};

struct vblk {
	struct virtio_dev vd;
	struct virtq q;
	struct blockdev bd;
	spinlock_t lock;               /* the queue and the slots */
	wait_queue_t slot_wq;          /* waiting for a free slot */
	wait_queue_t done_wq;          /* waiting for a completion */
	struct blk_req_hdr *hdrs;      /* one page: NSLOTS headers ... */
	volatile uint8_t *status;      /* ... then NSLOTS status bytes */
	phys_addr_t dma_page;
	uint8_t head_slot[QUEUE_MAX];  /* descriptor chain head -> slot */
	unsigned nslots;
	uint32_t chunk_sectors;
	int vector;                    /* CPU vector, or -1 when polling */
	bool ready;
	struct blk_slot slots[NSLOTS];
};

static int ndisks;

/* Collect finished requests. Called from the interrupt handler and by
 * polling requesters. */
static void vblk_reap(struct vblk *v)
{
	bool any = false;
	int head;

	spin_lock(&v->lock);
	while ((head = virtq_next_used(&v->q, NULL)) >= 0) {
		unsigned s = v->head_slot[head];

		virtq_free_chain(&v->q, head);
		if (s < v->nslots) {
			v->slots[s].done = true;
			any = true;
		}
	}
	spin_unlock(&v->lock);
	if (any)
		wake_up(&v->done_wq);
}

static void vblk_irq(void *ctx)
{
	struct vblk *v = ctx;

	if (READ_ONCE(v->ready))
		vblk_reap(v);
}

/* Wait for cond: sleeping on wq when interrupts will wake us, otherwise
 * polling the used ring. */
#define VBLK_WAIT(v, wq, cond)                                   \
	do {                                                     \
		if ((v)->vector >= 0 && irq_enabled()) {         \
			wait_event(wq, cond);                    \
		} else {                                         \
			while (!(cond)) {                        \
				vblk_reap(v);                    \
				cpu_relax();                    \
			}                                        \
		}                                                \
	} while (0)

static int try_get_slot(struct vblk *v)
{
	int found = -1;

	spin_lock(&v->lock);
	for (unsigned i = 0; i < v->nslots; i++) {
		if (!v->slots[i].busy) {
			v->slots[i].busy = true;
			found = i;
			break;
		}
	}
	spin_unlock(&v->lock);
	return found;
}

static void put_slot(struct vblk *v, int s)
{
	spin_lock(&v->lock);
	v->slots[s].busy = false;
	spin_unlock(&v->lock);
	wake_up_one(&v->slot_wq);
}

/* True if [p, p+len) lies in the direct map of RAM, hence is physically
 * contiguous and usable for DMA without copying. */
static bool is_direct(const void *p, size_t len)
{
	uint64_t a = (uint64_t)p;
	uint64_t ram = (uint64_t)pmm_total_pages() * PAGE_SIZE;

	return a >= RAYOS_HHDM_BASE && a - RAYOS_HHDM_BASE < ram &&
	       len <= ram - (a - RAYOS_HHDM_BASE);
}

/*
 * One request of at most chunk_sectors. data/bytes may be NULL/0 (flush).
 * For reads the device writes data; for writes it reads it.
 */
static int vblk_request(struct vblk *v, uint32_t type, uint64_t lba,
                        void *data, size_t bytes)
{
	bool dev_writes = type == VIRTIO_BLK_T_IN;
	phys_addr_t data_phys = 0;
	bool bounce = false;
	int s, head;
	uint8_t status;

	VBLK_WAIT(v, &v->slot_wq, (s = try_get_slot(v)) >= 0);
	struct blk_slot *slot = &v->slots[s];

	if (bytes) {
		if (is_direct(data, bytes)) {
			data_phys = virt_to_phys(data);
		} else {
			if (!slot->bounce)
				slot->bounce = pages_alloc(CHUNK_PAGES);
			if (!slot->bounce) {
				put_slot(v, s);
				return -ENOMEM;
			}
			bounce = true;
			data_phys = slot->bounce;
			if (!dev_writes)
				memcpy(phys_to_virt(data_phys), data, bytes);
		}
	}

	v->hdrs[s].type = type;
	v->hdrs[s].reserved = 0;
	v->hdrs[s].sector = lba;
	v->status[s] = 0xff; /* anything but OK until the device writes it */

	spin_lock(&v->lock);
	/* Cannot fail: nslots * 3 <= queue size. */
	head = virtq_alloc_chain(&v->q, bytes ? 3 : 2);
	BUG_ON(head < 0);
	volatile struct virtq_desc *d = virtq_chain_desc(&v->q, head, 0);
	d->addr = v->dma_page + s * sizeof(struct blk_req_hdr);
	d->len = sizeof(struct blk_req_hdr);
	if (bytes) {
		d = virtq_chain_desc(&v->q, head, 1);
		d->addr = data_phys;
		d->len = bytes;
		d->flags |= dev_writes ? VIRTQ_DESC_F_WRITE : 0;
	}
	d = virtq_chain_desc(&v->q, head, bytes ? 2 : 1);
	d->addr = v->dma_page + PAGE_SIZE / 2 + s;
	d->len = 1;
	d->flags = VIRTQ_DESC_F_WRITE;
	v->head_slot[head] = s;
	slot->done = false;
	virtq_submit(&v->q, head);
	virtq_kick(&v->q);
	spin_unlock(&v->lock);

	VBLK_WAIT(v, &v->done_wq, READ_ONCE(slot->done));

	status = v->status[s];
	if (status == VIRTIO_BLK_S_OK && bounce && dev_writes)
		memcpy(data, phys_to_virt(data_phys), bytes);
	put_slot(v, s);
	if (status != VIRTIO_BLK_S_OK) {
		kprintf(KERN_ERR "virtio-blk: %s: %s of %lu bytes at sector %llu "
		        "failed (status %u)\n", v->bd.name,
		        type == VIRTIO_BLK_T_IN ? "read" :
		        type == VIRTIO_BLK_T_OUT ? "write" : "flush",
		        (unsigned long)bytes, (unsigned long long)lba, status);
		return -EIO;
	}
	return 0;
}

static int vblk_transfer(struct blockdev *bd, uint32_t type, uint64_t lba,
                         uint32_t count, void *buf)
{
	struct vblk *v = bd->priv;
	uint8_t *p = buf;

	while (count) {
		uint32_t n = MIN(count, v->chunk_sectors);
		int err = vblk_request(v, type, lba, p, (size_t)n * SECTOR_SIZE);

		if (err)
			return err;
		lba += n;
		count -= n;
		p += (size_t)n * SECTOR_SIZE;
	}
	return 0;
}

static int vblk_read(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf)
{
	return vblk_transfer(bd, VIRTIO_BLK_T_IN, lba, count, buf);
}

static int vblk_write(struct blockdev *bd, uint64_t lba, uint32_t count,
                      const void *buf)
{
	/* The device only reads the buffer; the cast drops const for the
	 * shared transfer path, which never writes to it for T_OUT. */
	return vblk_transfer(bd, VIRTIO_BLK_T_OUT, lba, count, (void *)buf);
}

static int vblk_flush(struct blockdev *bd)
{
	struct vblk *v = bd->priv;

	if (!virtio_has(&v->vd, VIRTIO_BLK_F_FLUSH))
		return 0; /* no volatile write cache to flush */
	return vblk_request(v, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
}

static const struct blockdev_ops vblk_ops = {
	.read = vblk_read,
	.write = vblk_write,
	.flush = vblk_flush,
};

/* Interrupts through MSI-X table entry 0; polling if that fails. */
static int setup_queue(struct vblk *v)
{
	struct pci_device *pci = v->vd.pci;
	int err;

	v->vector = irq_alloc_vector(vblk_irq, v);
	if (v->vector >= 0 && pci_msix_set(pci, 0, v->vector) == 0) {
		err = virtq_setup(&v->vd, &v->q, 0, QUEUE_MAX, 0);
		if (err != -EIO)
			return err;
	}
	kprintf(KERN_WARNING "virtio-blk %02x:%02x.%x: no MSI-X, polling\n",
	        pci->bus, pci->dev, pci->fn);
	v->vector = -1;
	return virtq_setup(&v->vd, &v->q, 0, QUEUE_MAX, VIRTIO_MSI_NO_VECTOR);
}

static int vblk_probe(struct pci_device *pci)
{
	struct vblk *v = kzalloc(sizeof(*v));
	uint64_t capacity;
	uint32_t size_max;
	int err;

	if (!v)
		return -ENOMEM;
	spin_init(&v->lock, "virtio-blk");
	wait_queue_init(&v->slot_wq, "virtio_blk_slot");
	wait_queue_init(&v->done_wq, "virtio_blk_done");

	err = virtio_pci_probe(pci, &v->vd);
	if (!err)
		err = virtio_negotiate(&v->vd, 1ULL << VIRTIO_BLK_F_RO |
		                       1ULL << VIRTIO_BLK_F_FLUSH |
		                       1ULL << VIRTIO_BLK_F_SIZE_MAX |
		                       1ULL << VIRTIO_BLK_F_BLK_SIZE);
	if (!err)
		err = setup_queue(v);
	if (!err) {
		v->dma_page = page_alloc_zero();
		if (!v->dma_page)
			err = -ENOMEM;
	}
	if (err) {
		kprintf(KERN_WARNING "virtio-blk %02x:%02x.%x: setup failed (%d)\n",
		        pci->bus, pci->dev, pci->fn, err);
		if (v->vd.common)
			virtio_fail(&v->vd);
		kfree(v); /* the queue pages and vector, if any, are leaked */
		return err;
	}
	v->hdrs = phys_to_virt(v->dma_page);
	v->status = (uint8_t *)phys_to_virt(v->dma_page) + PAGE_SIZE / 2;
	v->nslots = MIN(NSLOTS, v->q.size / 3);

	virtio_read_config(&v->vd, CFG_CAPACITY, &capacity, sizeof(capacity));
	v->chunk_sectors = CHUNK_BYTES / SECTOR_SIZE;
	if (virtio_has(&v->vd, VIRTIO_BLK_F_SIZE_MAX)) {
		virtio_read_config(&v->vd, CFG_SIZE_MAX, &size_max, sizeof(size_max));
		if (size_max >= SECTOR_SIZE)
			v->chunk_sectors = MIN(v->chunk_sectors, size_max / SECTOR_SIZE);
	}

	snprintf(v->bd.name, sizeof(v->bd.name), "vd%c", 'a' + ndisks);
	v->bd.sectors = capacity;
	v->bd.read_only = virtio_has(&v->vd, VIRTIO_BLK_F_RO);
	v->bd.ops = &vblk_ops;
	v->bd.priv = v;
	WRITE_ONCE(v->ready, true);
	virtio_driver_ok(&v->vd);

	kprintf("virtio-blk: %s: %llu sectors (%llu MiB)%s%s, queue %u, %s\n",
	        v->bd.name, (unsigned long long)capacity,
	        (unsigned long long)(capacity >> 11),
	        v->bd.read_only ? ", read-only" : "",
	        virtio_has(&v->vd, VIRTIO_BLK_F_FLUSH) ? ", flush" : "",
	        v->q.size, v->vector >= 0 ? "MSI-X" : "polled");
	blockdev_register(&v->bd);
	ndisks++;
	gpt_scan(&v->bd);
	return 0;
}

void virtio_blk_init(void)
{
	for (struct pci_device *d = pci_devices; d; d = d->next) {
		if (virtio_pci_type(d) != VIRTIO_ID_BLOCK)
			continue;
		if (ndisks == 26) {
			kprintf(KERN_WARNING "virtio-blk: more than 26 disks, rest ignored\n");
			break;
		}
		vblk_probe(d);
	}
}
