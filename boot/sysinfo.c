/*
 * boot/sysinfo.c - firmware facts the kernel cannot find on its own later:
 * the ACPI RSDP (only the EFI configuration table knows it reliably) and the
 * GOP framebuffer (GOP disappears with boot services).
 */
#include "bootmgr.h"

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

UINT64 find_acpi_rsdp(void)
{
	UINT64 v1 = 0;
	UINTN i;

	/* Prefer ACPI 2.0+ (XSDT); fall back to the 1.0 RSDP. */
	for (i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
		if (!CompareGuid(&t->VendorGuid, &acpi20_guid))
			return (UINT64)(UINTN)t->VendorTable;
		if (!CompareGuid(&t->VendorGuid, &acpi10_guid))
			v1 = (UINT64)(UINTN)t->VendorTable;
	}
	return v1;
}

/* Position and width of the set bits of a channel mask. */
static void mask_to_pos(UINT32 mask, UINT8 *pos, UINT8 *size)
{
	UINT8 p = 0, s = 0;
	if (mask) {
		while (!(mask & 1)) {
			mask >>= 1;
			p++;
		}
		while (mask & 1) {
			mask >>= 1;
			s++;
		}
	}
	*pos = p;
	*size = s;
}

void find_framebuffer(struct rayos_framebuffer *fb)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *mi;
	EFI_STATUS st;

	SetMem(fb, sizeof *fb, 0);
	st = LibLocateProtocol(&GraphicsOutputProtocol, (VOID **)&gop);
	if (EFI_ERROR(st) || !gop || !gop->Mode || !gop->Mode->Info)
		return;
	mi = gop->Mode->Info;
	switch (mi->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		fb->red_pos = 0; fb->green_pos = 8; fb->blue_pos = 16;
		fb->red_size = fb->green_size = fb->blue_size = 8;
		break;
	case PixelBlueGreenRedReserved8BitPerColor:
		fb->blue_pos = 0; fb->green_pos = 8; fb->red_pos = 16;
		fb->red_size = fb->green_size = fb->blue_size = 8;
		break;
	case PixelBitMask:
		mask_to_pos(mi->PixelInformation.RedMask, &fb->red_pos, &fb->red_size);
		mask_to_pos(mi->PixelInformation.GreenMask, &fb->green_pos, &fb->green_size);
		mask_to_pos(mi->PixelInformation.BlueMask, &fb->blue_pos, &fb->blue_size);
		break;
	default: /* PixelBltOnly: no linear framebuffer to hand over */
		return;
	}
	fb->base = gop->Mode->FrameBufferBase;
	fb->size = gop->Mode->FrameBufferSize;
	fb->width = mi->HorizontalResolution;
	fb->height = mi->VerticalResolution;
	fb->pitch = mi->PixelsPerScanLine * 4;
	fb->bpp = 32;
}
