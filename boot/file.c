/*
 * boot/file.c - files on the boot volume.
 *
 * Everything the boot manager reads (boot.cfg, kernels, initramfs) comes
 * from the FAT file system the manager itself was loaded from, found via
 * LoadedImage->DeviceHandle, so one ESP is self-contained. Paths arrive as
 * ASCII from the configuration and are widened to CHAR16 here.
 */
#include "bootmgr.h"

static EFI_FILE_HANDLE root;

EFI_STATUS file_init(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image,
			       &LoadedImageProtocol, (VOID **)&li);
	if (EFI_ERROR(st))
		return st;
	root = LibOpenRoot(li->DeviceHandle);
	return root ? EFI_SUCCESS : EFI_NOT_FOUND;
}

EFI_STATUS file_open(const char *path, EFI_FILE_HANDLE *fh, UINT64 *size)
{
	CHAR16 wpath[BOOTCFG_PATH_MAX];
	EFI_FILE_INFO *info;
	EFI_STATUS st;
	UINTN i;

	if (!root)
		return EFI_NOT_READY;
	for (i = 0; path[i] && i + 1 < BOOTCFG_PATH_MAX; i++)
		wpath[i] = (CHAR16)(unsigned char)path[i];
	wpath[i] = 0;
	st = uefi_call_wrapper(root->Open, 5, root, fh, wpath,
			       EFI_FILE_MODE_READ, 0ULL);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(*fh);
	if (!info) {
		file_close(*fh);
		return EFI_DEVICE_ERROR;
	}
	if (info->Attribute & EFI_FILE_DIRECTORY) {
		FreePool(info);
		file_close(*fh);
		return EFI_NOT_FOUND;
	}
	*size = info->FileSize;
	FreePool(info);
	return EFI_SUCCESS;
}

EFI_STATUS file_read(EFI_FILE_HANDLE fh, void *buf, UINT64 size)
{
	UINT8 *p = buf;
	EFI_STATUS st;

	/* A single Read may return less than asked: loop until done. */
	while (size) {
		UINTN n = size > (1U << 30) ? (1U << 30) : size;
		st = uefi_call_wrapper(fh->Read, 3, fh, &n, p);
		if (EFI_ERROR(st))
			return st;
		if (n == 0)
			return EFI_END_OF_FILE; /* shorter than its size said */
		p += n;
		size -= n;
	}
	return EFI_SUCCESS;
}

void file_close(EFI_FILE_HANDLE fh)
{
	uefi_call_wrapper(fh->Close, 1, fh);
}

const CHAR16 *file_strerror(EFI_STATUS st)
{
	switch (st) {
	case EFI_NOT_FOUND:         return L"file not found";
	case EFI_NO_MEDIA:          return L"no medium";
	case EFI_DEVICE_ERROR:      return L"device error while reading";
	case EFI_VOLUME_CORRUPTED:  return L"file system is corrupted";
	case EFI_END_OF_FILE:       return L"file ended early (read error)";
	case EFI_OUT_OF_RESOURCES:  return L"out of memory";
	case EFI_ACCESS_DENIED:     return L"access denied";
	case EFI_NOT_READY:         return L"boot volume not available";
	default:                    return L"cannot read file";
	}
}
