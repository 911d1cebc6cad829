/*
 * kernel/drivers/gpt.c - find the partitions of a disk from its GUID
 * partition table and register them as block devices (vda1, vda2, ...).
 *
 * The primary header is at LBA 1; if it or its entry array fails any check
 * the backup header in the last sector is tried. The checks themselves live
 * in gpt_parse.c so that they can be unit-tested on the host; this file only
 * reads sectors and creates the block devices. A disk without a usable GPT
 * is reported and left as a whole disk.
 */
#include "block.h"
#include "mm.h"
#include "gpt_parse.h"

/* Read and validate the header at lba and its entry array. Returns the
 * entry array (kmalloc'd), or NULL with *why saying what was wrong. */
static void *load_table(struct blockdev *disk, uint64_t lba,
                        struct gpt_header_info *h, const char **why)
{
	uint8_t *sector, *entries;
	uint64_t nsec;
	int err;

	sector = kmalloc(SECTOR_SIZE);
	if (!sector) {
		*why = "out of memory";
		return NULL;
	}
	err = block_read(disk, lba, 1, sector);
	if (!err)
		err = gpt_check_header(sector, lba, disk->sectors, h, why);
	else
		*why = "read error";
	kfree(sector);
	if (err)
		return NULL;

	nsec = gpt_entries_sectors(h);
	entries = kmalloc(nsec * SECTOR_SIZE);
	if (!entries) {
		*why = "out of memory";
		return NULL;
	}
	if (block_read(disk, h->entries_lba, nsec, entries)) {
		*why = "read error in the partition entries";
		kfree(entries);
		return NULL;
	}
	if (!gpt_check_entries(h, entries)) {
		*why = "partition entries CRC mismatch";
		kfree(entries);
		return NULL;
	}
	return entries;
}

/* "64 MiB", "2 GiB", "512 KiB": whole units, the largest that fits. */
static void format_size(char *buf, size_t size, uint64_t sectors)
{
	uint64_t bytes = sectors * SECTOR_SIZE;

	if (bytes >= (16ULL << 30))
		snprintf(buf, size, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= (1ULL << 20))
		snprintf(buf, size, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, size, "%llu KiB", (unsigned long long)(bytes >> 10));
}

static struct blockdev *make_partition(struct blockdev *disk, int partno,
                                       const struct gpt_part *p)
{
	struct blockdev *bd = kzalloc(sizeof(*bd));
	size_t n = strlen(disk->name);

	if (!bd)
		return NULL;
	/* "vda" + "1"; a disk whose name ends in a digit gets a 'p'
	 * ("nvme0n1p1") so that names stay unambiguous. */
	snprintf(bd->name, sizeof(bd->name), "%s%s%d", disk->name,
	         n && disk->name[n - 1] >= '0' && disk->name[n - 1] <= '9' ? "p" : "",
	         partno);
	bd->sectors = p->last_lba - p->first_lba + 1;
	bd->read_only = disk->read_only;
	bd->ops = disk->ops;
	bd->priv = disk->priv;
	bd->parent = disk;
	bd->start_lba = p->first_lba;
	bd->partno = partno;
	strlcpy(bd->part_uuid, p->part_uuid, sizeof(bd->part_uuid));
	strlcpy(bd->part_label, p->label, sizeof(bd->part_label));
	strlcpy(bd->type_uuid, p->type_uuid, sizeof(bd->type_uuid));
	return bd;
}

int gpt_scan(struct blockdev *disk)
{
	struct gpt_header_info h;
	struct gpt_part part;
	uint8_t *entries;
	char line[400], size[24];
	const char *why;
	int count = 0;
	size_t len;

	if (!disk || disk->parent || disk->sectors < 3)
		return -EINVAL;

	entries = load_table(disk, 1, &h, &why);
	if (!entries) {
		const char *why_primary = why;

		entries = load_table(disk, disk->sectors - 1, &h, &why);
		if (!entries) {
			if (!strcmp(why_primary, "bad signature") &&
			    !strcmp(why, "bad signature"))
				kprintf("gpt: %s: no partition table\n", disk->name);
			else
				kprintf(KERN_WARNING "gpt: %s: no valid GPT (primary: %s; "
				        "backup: %s)\n", disk->name, why_primary, why);
			return -ENOENT;
		}
		kprintf(KERN_WARNING "gpt: %s: primary GPT bad (%s), using the backup\n",
		        disk->name, why_primary);
	}

	/* line collects " vda1 \"EFI System\" 64 MiB, ..." for the log. */
	line[0] = '\0';
	len = 0;
	for (uint32_t i = 0; i < h.nentries; i++) {
		struct blockdev *bd;
		int r = gpt_decode_entry(&h, entries, i, &part, &why);

		if (r == 0)
			continue;
		if (r < 0) {
			kprintf(KERN_WARNING "gpt: %s: entry %u skipped: %s\n",
			        disk->name, i + 1, why);
			continue;
		}
		/* Partition numbers follow the entry index, as in Linux, so
		 * that vdaN is entry N even with unused slots in between. */
		bd = make_partition(disk, (int)i + 1, &part);
		if (!bd) {
			kprintf(KERN_ERR "gpt: %s: out of memory\n", disk->name);
			break;
		}
		blockdev_register(bd);
		format_size(size, sizeof(size), bd->sectors);
		if (len < sizeof(line))
			len += snprintf(line + len, sizeof(line) - len, "%s %s \"%s\" %s",
			                count ? "," : "", bd->name, bd->part_label, size);
		count++;
	}
	kfree(entries);
	if (len >= sizeof(line))
		strlcpy(line + sizeof(line) - 5, "...", 5);
	kprintf("gpt: %s: %d partition%s:%s\n", disk->name, count,
	        count == 1 ? "" : "s", line);
	return count;
}
