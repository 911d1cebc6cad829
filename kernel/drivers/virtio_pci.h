/*
 * kernel/drivers/virtio_pci.h - the virtio 1.x modern PCI transport and
 * split virtqueues (kernel/drivers/virtio_pci.c), shared by the virtio
 * device drivers (virtio_blk.c today, virtio-net later).
 *
 * A driver: virtio_pci_probe() the PCI function, virtio_negotiate() the
 * features it understands, virtq_setup() each queue (with an MSI-X table
 * entry), virtio_driver_ok(), then per request virtq_alloc_chain() /
 * virtq_submit() / virtq_kick() and, from its interrupt handler,
 * virtq_next_used() / virtq_free_chain(). The queue has no lock of its
 * own: the driver serialises access with its own spinlock.
 */
#ifndef KERNEL_DRIVERS_VIRTIO_PCI_H
#define KERNEL_DRIVERS_VIRTIO_PCI_H

#include "kernel.h"
#include "pci.h"

#define VIRTIO_VENDOR 0x1af4
/* Modern device IDs are 0x1040 + virtio device type; transitional ones are
 * 0x1000-0x103f with the type in the subsystem ID. */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2

#define VIRTIO_F_VERSION_1 32

/* Device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_MSI_NO_VECTOR 0xffff

/* Split virtqueue layout (virtio 1.x, 2.7). */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

struct virtio_dev;

struct virtq {
	struct virtio_dev *vdev;
	uint16_t index;               /* queue number on the device */
	uint16_t size;                /* descriptors */
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	phys_addr_t phys;             /* the pages holding all three */
	size_t npages;
	uint16_t free_head;           /* free descriptors, chained by next */
	uint16_t num_free;
	uint16_t avail_idx;           /* our copy of avail->idx */
	uint16_t last_used;           /* used entries consumed so far */
	volatile uint16_t *notify;    /* where to write index to kick */
};

/* One probed virtio function: its mapped configuration structures. */
struct virtio_dev {
	struct pci_device *pci;
	int type;                     /* VIRTIO_ID_* */
	volatile uint8_t *common;     /* struct virtio_pci_common_cfg */
	volatile uint8_t *notify_base;
	uint32_t notify_len;
	uint32_t notify_mult;
	volatile uint8_t *isr;
	volatile uint8_t *device_cfg; /* device-specific configuration */
	uint32_t device_cfg_len;
	uint64_t features;            /* negotiated */
};

/* The virtio device type of a PCI function, or 0 if it is not virtio. */
int virtio_pci_type(struct pci_device *pci);
/* Map the modern capabilities. -ENODEV if the function has none (a
 * legacy-only device). */
int virtio_pci_probe(struct pci_device *pci, struct virtio_dev *vd);
/* Reset, ACKNOWLEDGE, DRIVER, offer (device & wanted) | VERSION_1, check
 * FEATURES_OK. Returns 0 and sets vd->features, or -errno (device marked
 * FAILED). */
/* The features the device offers (to drop the wanted ones whose
 * dependencies it lacks before virtio_negotiate). */
uint64_t virtio_offered(struct virtio_dev *vd);
int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted);
static inline bool virtio_has(struct virtio_dev *vd, unsigned bit)
{
	return vd->features & (1ULL << bit);
}
/* Set up queue index with at most max_size descriptors, interrupting
 * through MSI-X table entry msix_entry (or VIRTIO_MSI_NO_VECTOR). */
int virtq_setup(struct virtio_dev *vd, struct virtq *q, unsigned index,
                unsigned max_size, unsigned msix_entry);
void virtio_driver_ok(struct virtio_dev *vd);
void virtio_fail(struct virtio_dev *vd);
/* Read device configuration consistently (retries on generation change). */
void virtio_read_config(struct virtio_dev *vd, unsigned off, void *buf,
                        size_t len);

/* Take n descriptors, chained; returns the head or -1 if too few free.
 * The caller fills addr/len/flags (keeping F_NEXT on all but the last). */
int virtq_alloc_chain(struct virtq *q, unsigned n);
/* The i-th descriptor of the chain starting at head. */
volatile struct virtq_desc *virtq_chain_desc(struct virtq *q, unsigned head,
                                             unsigned i);
/* Make the chain visible to the device; virtq_kick() tells it. */
void virtq_submit(struct virtq *q, unsigned head);
void virtq_kick(struct virtq *q);
/* Next completed chain's head (and bytes written in *len), or -1. */
int virtq_next_used(struct virtq *q, uint32_t *len);
void virtq_free_chain(struct virtq *q, unsigned head);

#endif
