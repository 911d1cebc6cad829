/*
 * kernel/drivers/virtio_pci.c - virtio 1.x over PCI (the "modern"
 * interface): vendor capabilities locate the common, notify, ISR and device
 * configuration structures inside the BARs; queues are split virtqueues in
 * physically contiguous pages. Legacy (0.9.5, I/O port) devices are not
 * supported; a transitional device works as long as it exposes the modern
 * capabilities, which QEMU's do.
 *
 * Memory ordering: x86 keeps stores in order, so a compiler barrier is
 * enough between filling descriptors and publishing avail->idx, and between
 * reading used->idx and the used entries.
 */
#include "virtio_pci.h"
#include "mm.h"
#include "ktime.h"

/* struct virtio_pci_common_cfg offsets (virtio 1.x, 4.1.4.3). */
#define CC_DEVICE_FEATURE_SELECT 0
#define CC_DEVICE_FEATURE        4
#define CC_DRIVER_FEATURE_SELECT 8
#define CC_DRIVER_FEATURE        12
#define CC_MSIX_CONFIG           16
#define CC_NUM_QUEUES            18
#define CC_DEVICE_STATUS         20
#define CC_CONFIG_GENERATION     21
#define CC_QUEUE_SELECT          22
#define CC_QUEUE_SIZE            24
#define CC_QUEUE_MSIX_VECTOR     26
#define CC_QUEUE_ENABLE          28
#define CC_QUEUE_NOTIFY_OFF      30
#define CC_QUEUE_DESC            32
#define CC_QUEUE_DRIVER          40
#define CC_QUEUE_DEVICE          48
#define CC_SIZE                  56

/* Vendor capability (struct virtio_pci_cap) fields and cfg_type values. */
#define PCI_CAP_VENDOR   0x09
#define VCAP_CFG_TYPE    3
#define VCAP_BAR         4
#define VCAP_OFFSET      8
#define VCAP_LENGTH      12
#define VCAP_NOTIFY_MULT 16
#define CFG_COMMON 1
#define CFG_NOTIFY 2
#define CFG_ISR    3
#define CFG_DEVICE 4

static inline uint8_t cc_r8(struct virtio_dev *vd, unsigned off)
{
	return *(volatile uint8_t *)(vd->common + off);
}
static inline uint16_t cc_r16(struct virtio_dev *vd, unsigned off)
{
	return *(volatile uint16_t *)(vd->common + off);
}
static inline uint32_t cc_r32(struct virtio_dev *vd, unsigned off)
{
	return *(volatile uint32_t *)(vd->common + off);
}
static inline void cc_w8(struct virtio_dev *vd, unsigned off, uint8_t v)
{
	*(volatile uint8_t *)(vd->common + off) = v;
}
static inline void cc_w16(struct virtio_dev *vd, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)(vd->common + off) = v;
}
static inline void cc_w32(struct virtio_dev *vd, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(vd->common + off) = v;
}
/* 64-bit fields are written as two 32-bit halves, which the spec allows
 * and which works whatever access widths the device's BAR supports. */
static inline void cc_w64(struct virtio_dev *vd, unsigned off, uint64_t v)
{
	cc_w32(vd, off, (uint32_t)v);
	cc_w32(vd, off + 4, (uint32_t)(v >> 32));
}

int virtio_pci_type(struct pci_device *pci)
{
	if (pci->vendor != VIRTIO_VENDOR)
		return 0;
	if (pci->device >= 0x1040 && pci->device <= 0x107f)
		return pci->device - 0x1040;
	if (pci->device >= 0x1000 && pci->device <= 0x103f)
		return pci->subsys_id; /* transitional */
	return 0;
}

/* Map the structure a vendor capability describes; NULL if it does not
 * fit inside its BAR. */
static volatile uint8_t *map_cap(struct pci_device *pci, unsigned cap,
                                 uint32_t *len_out)
{
	unsigned bar = pci_read8(pci, cap + VCAP_BAR);
	uint32_t off = pci_read32(pci, cap + VCAP_OFFSET);
	uint32_t len = pci_read32(pci, cap + VCAP_LENGTH);

	if (bar > 5 || pci->bar_is_io[bar] || !pci->bar[bar] || !len ||
	    (uint64_t)off + len > pci->bar_size[bar])
		return NULL;
	if (len_out)
		*len_out = len;
	return ioremap(pci->bar[bar] + off, len);
}

int virtio_pci_probe(struct pci_device *pci, struct virtio_dev *vd)
{
	uint32_t len;

	memset(vd, 0, sizeof(*vd));
	vd->pci = pci;
	vd->type = virtio_pci_type(pci);
	/* The first capability of each type is the preferred one. */
	for (unsigned cap = pci_find_cap(pci, PCI_CAP_VENDOR, 0); cap;
	     cap = pci_find_cap(pci, PCI_CAP_VENDOR, cap)) {
		uint8_t type = pci_read8(pci, cap + VCAP_CFG_TYPE);

		if (type == CFG_COMMON && !vd->common) {
			vd->common = map_cap(pci, cap, &len);
			if (vd->common && len < CC_SIZE)
				vd->common = NULL;
		} else if (type == CFG_NOTIFY && !vd->notify_base) {
			vd->notify_base = map_cap(pci, cap, &vd->notify_len);
			vd->notify_mult = pci_read32(pci, cap + VCAP_NOTIFY_MULT);
		} else if (type == CFG_ISR && !vd->isr) {
			vd->isr = map_cap(pci, cap, NULL);
		} else if (type == CFG_DEVICE && !vd->device_cfg) {
			vd->device_cfg = map_cap(pci, cap, &vd->device_cfg_len);
		}
	}
	if (!vd->common || !vd->notify_base) {
		kprintf(KERN_WARNING "virtio %02x:%02x.%x: no usable modern "
		        "capabilities (legacy-only device?)\n",
		        pci->bus, pci->dev, pci->fn);
		return -ENODEV;
	}
	pci_enable_bus_master(pci);
	return 0;
}

static void set_status(struct virtio_dev *vd, uint8_t bits)
{
	cc_w8(vd, CC_DEVICE_STATUS, cc_r8(vd, CC_DEVICE_STATUS) | bits);
}

void virtio_fail(struct virtio_dev *vd)
{
	set_status(vd, VIRTIO_STATUS_FAILED);
}

void virtio_driver_ok(struct virtio_dev *vd)
{
	set_status(vd, VIRTIO_STATUS_DRIVER_OK);
}

uint64_t virtio_offered(struct virtio_dev *vd)
{
	uint64_t f;

	cc_w32(vd, CC_DEVICE_FEATURE_SELECT, 0);
	f = cc_r32(vd, CC_DEVICE_FEATURE);
	cc_w32(vd, CC_DEVICE_FEATURE_SELECT, 1);
	return f | (uint64_t)cc_r32(vd, CC_DEVICE_FEATURE) << 32;
}

int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted)
{
	uint64_t offered;
	int i;

	/* Reset, and wait for it to finish (bounded: ~1 s). */
	cc_w8(vd, CC_DEVICE_STATUS, 0);
	for (i = 0; i < 100000 && cc_r8(vd, CC_DEVICE_STATUS) != 0; i++)
		udelay(10);
	if (cc_r8(vd, CC_DEVICE_STATUS) != 0) {
		kprintf(KERN_WARNING "virtio: device did not reset\n");
		return -EIO;
	}
	set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(vd, VIRTIO_STATUS_DRIVER);

	offered = virtio_offered(vd);
	if (!(offered & (1ULL << VIRTIO_F_VERSION_1))) {
		kprintf(KERN_WARNING "virtio: device lacks VIRTIO_F_VERSION_1\n");
		virtio_fail(vd);
		return -ENODEV;
	}
	vd->features = offered & (wanted | 1ULL << VIRTIO_F_VERSION_1);
	cc_w32(vd, CC_DRIVER_FEATURE_SELECT, 0);
	cc_w32(vd, CC_DRIVER_FEATURE, (uint32_t)vd->features);
	cc_w32(vd, CC_DRIVER_FEATURE_SELECT, 1);
	cc_w32(vd, CC_DRIVER_FEATURE, (uint32_t)(vd->features >> 32));

	set_status(vd, VIRTIO_STATUS_FEATURES_OK);
	if (!(cc_r8(vd, CC_DEVICE_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
		kprintf(KERN_WARNING "virtio: device refused features 0x%llx\n",
		        (unsigned long long)vd->features);
		virtio_fail(vd);
		return -ENODEV;
	}
	/* No configuration-change interrupts. */
	cc_w16(vd, CC_MSIX_CONFIG, VIRTIO_MSI_NO_VECTOR);
	return 0;
}

void virtio_read_config(struct virtio_dev *vd, unsigned off, void *buf,
                        size_t len)
{
	uint8_t gen, *out = buf;

	if (!vd->device_cfg || off + len > vd->device_cfg_len) {
		memset(buf, 0, len);
		return;
	}
	/* Retry while the device changes it underneath us (bounded). */
	for (int tries = 0; tries < 100; tries++) {
		gen = cc_r8(vd, CC_CONFIG_GENERATION);
		for (size_t i = 0; i < len; i++)
			out[i] = vd->device_cfg[off + i];
		if (cc_r8(vd, CC_CONFIG_GENERATION) == gen)
			return;
	}
}

int virtq_setup(struct virtio_dev *vd, struct virtq *q, unsigned index,
                unsigned max_size, unsigned msix_entry)
{
	size_t desc_bytes, avail_bytes, used_off, total;
	uint64_t notify_off;
	unsigned size, limit;
	uint8_t *mem;

	memset(q, 0, sizeof(*q));
	if (index >= cc_r16(vd, CC_NUM_QUEUES))
		return -ENOENT;
	cc_w16(vd, CC_QUEUE_SELECT, index);
	size = cc_r16(vd, CC_QUEUE_SIZE);
	if (size == 0 || cc_r16(vd, CC_QUEUE_ENABLE))
		return -ENOENT;
	/* The largest power of two no larger than what the device and the
	 * caller allow (split queues must be a power of two). */
	if (max_size == 0)
		return -EINVAL;
	limit = MIN(size, max_size);
	for (size = 1; size * 2u <= limit; size *= 2)
		;

	notify_off = (uint64_t)cc_r16(vd, CC_QUEUE_NOTIFY_OFF) * vd->notify_mult;
	if (notify_off + 2 > vd->notify_len) {
		kprintf(KERN_WARNING "virtio: queue %u notify address outside its "
		        "capability\n", index);
		return -EIO;
	}

	desc_bytes = 16u * size;
	avail_bytes = 6 + 2u * size;
	used_off = ALIGN_UP(desc_bytes + avail_bytes, 64);
	total = used_off + 6 + 8u * size;
	q->npages = ALIGN_UP(total, PAGE_SIZE) / PAGE_SIZE;
	q->phys = pages_alloc(q->npages);
	if (!q->phys)
		return -ENOMEM;
	mem = phys_to_virt(q->phys);
	memset(mem, 0, q->npages * PAGE_SIZE);

	q->vdev = vd;
	q->index = index;
	q->size = size;
	q->desc = (volatile struct virtq_desc *)mem;
	q->avail = (volatile struct virtq_avail *)(mem + desc_bytes);
	q->used = (volatile struct virtq_used *)(mem + used_off);
	for (unsigned i = 0; i < size; i++)
		q->desc[i].next = (i + 1) % size;
	q->free_head = 0;
	q->num_free = size;
	q->notify = (volatile uint16_t *)(vd->notify_base + notify_off);

	cc_w16(vd, CC_QUEUE_SIZE, size);
	cc_w64(vd, CC_QUEUE_DESC, q->phys);
	cc_w64(vd, CC_QUEUE_DRIVER, q->phys + desc_bytes);
	cc_w64(vd, CC_QUEUE_DEVICE, q->phys + used_off);
	cc_w16(vd, CC_QUEUE_MSIX_VECTOR, msix_entry);
	if (cc_r16(vd, CC_QUEUE_MSIX_VECTOR) != msix_entry) {
		kprintf(KERN_WARNING "virtio: queue %u refused MSI-X entry %u\n",
		        index, msix_entry);
		cc_w16(vd, CC_QUEUE_MSIX_VECTOR, VIRTIO_MSI_NO_VECTOR);
		pages_free(q->phys, q->npages);
		return -EIO;
	}
	cc_w16(vd, CC_QUEUE_ENABLE, 1);
	return 0;
}

int virtq_alloc_chain(struct virtq *q, unsigned n)
{
	unsigned head, i, d;

	if (n == 0 || n > q->num_free)
		return -1;
	head = d = q->free_head;
	for (i = 1; i < n; i++) {
		q->desc[d].flags = VIRTQ_DESC_F_NEXT;
		d = q->desc[d].next;
	}
	q->desc[d].flags = 0;
	q->free_head = q->desc[d].next;
	q->num_free -= n;
	return head;
}

volatile struct virtq_desc *virtq_chain_desc(struct virtq *q, unsigned head,
                                             unsigned i)
{
	unsigned d = head;

	while (i--)
		d = q->desc[d].next;
	return &q->desc[d];
}

void virtq_free_chain(struct virtq *q, unsigned head)
{
	unsigned d = head, n = 1;

	/* Bounded by the queue size in case the device scribbled on flags. */
	while ((q->desc[d].flags & VIRTQ_DESC_F_NEXT) && n < q->size) {
		d = q->desc[d].next % q->size;
		n++;
	}
	q->desc[d].next = q->free_head;
	q->free_head = head;
	q->num_free += n;
}

void virtq_submit(struct virtq *q, unsigned head)
{
	q->avail->ring[q->avail_idx % q->size] = head;
	barrier(); /* descriptors and ring entry before the index */
	q->avail_idx++;
	q->avail->idx = q->avail_idx;
}

void virtq_kick(struct virtq *q)
{
	barrier();
	*q->notify = q->index;
}

int virtq_next_used(struct virtq *q, uint32_t *len)
{
	while (q->used->idx != q->last_used) {
		volatile struct virtq_used_elem *e;
		uint32_t id;

		barrier(); /* index before the entry it covers */
		e = &q->used->ring[q->last_used % q->size];
		q->last_used++;
		id = e->id;
		if (len)
			*len = e->len;
		if (id < q->size)
			return id;
		kprintf_once(KERN_ERR "virtio: device returned bad descriptor %u\n", id);
	}
	return -1;
}
