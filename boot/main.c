/*
 * boot/main.c - the RayOS boot manager (BOOTX64.EFI): entry point and the
 * menu/boot loop.
 *
 * The loop never ends by itself: a failed boot attempt prints why, waits at
 * most 10 s for a key and shows the menu again with the countdown stopped,
 * so a broken default entry cannot cause a boot loop and the machine never
 * hangs silently. Only the user's choice reboots, powers off or returns to
 * the firmware.
 *
 * efi_main is called by gnu-efi's crt0 with the SysV ABI, so it must NOT be
 * declared EFIAPI.
 */
#include "bootmgr.h"

#define CONFIG_MAX_BYTES (64 * 1024)

static struct bootcfg cfg; /* ~40 KiB: static, not on the firmware stack */

static void load_config(void)
{
	EFI_FILE_HANDLE fh;
	UINT64 size;
	char *buf;
	EFI_STATUS st;
	int i;

	cfg.nentries = 0;
	cfg.timeout = BOOTCFG_TIMEOUT_FOREVER;
	st = file_open(CONFIG_PATH, &fh, &size);
	if (EFI_ERROR(st)) {
		Print(L"Error: %a: %s\n", CONFIG_PATH, file_strerror(st));
		return;
	}
	if (size > CONFIG_MAX_BYTES) {
		file_close(fh);
		Print(L"Error: %a: file too large (%ld bytes, max %d)\n",
		      CONFIG_PATH, size, CONFIG_MAX_BYTES);
		return;
	}
	buf = AllocatePool(size + 1);
	if (!buf) {
		file_close(fh);
		Print(L"Error: %a: out of memory\n", CONFIG_PATH);
		return;
	}
	st = file_read(fh, buf, size);
	file_close(fh);
	if (EFI_ERROR(st)) {
		Print(L"Error: %a: %s\n", CONFIG_PATH, file_strerror(st));
	} else {
		bootcfg_parse(&cfg, CONFIG_PATH, buf, size);
		for (i = 0; i < cfg.nerrors; i++)
			Print(L"Error: %a\n", cfg.errors[i]);
		if (cfg.errors_dropped)
			Print(L"Error: %a: %d more errors not shown\n",
			      CONFIG_PATH, cfg.errors_dropped);
	}
	FreePool(buf);
	if (!cfg.nentries) {
		Print(L"Error: %a: no valid boot entry\n", CONFIG_PATH);
		cfg.timeout = BOOTCFG_TIMEOUT_FOREVER;
	}
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_INPUT_KEY key;
	EFI_STATUS st;
	int index, countdown = 1;

	InitializeLib(image, systab);
	/* The firmware's 5-minute watchdog would reset a machine that sits
	 * in the menu; this manager handles its own timeouts. */
	uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);

	st = file_init(image);
	if (EFI_ERROR(st))
		Print(L"Error: cannot open the boot volume (%r)\n", st);
	else
		load_config();
	index = cfg.default_index;

	for (;;) {
		struct allocs al = { 0 };
		struct boot_plan plan;
		const struct bootcfg_entry *e;

		switch (menu_run(&cfg, &index, &countdown)) {
		case MENU_REBOOT:
			Print(L"Rebooting\n");
			uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold,
					  EFI_SUCCESS, 0, NULL);
			break;
		case MENU_POWEROFF:
			Print(L"Powering off\n");
			uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown,
					  EFI_SUCCESS, 0, NULL);
			break;
		case MENU_EXIT:
			Print(L"Returning to the firmware\n");
			return EFI_SUCCESS;
		case MENU_BOOT:
			e = &cfg.entries[index];
			Print(L"Booting \"%a\"\n", e->title);
			st = load_entry(e, &al, &plan);
			if (!EFI_ERROR(st)) {
				handoff(image, &al, &plan, e->title);
				free_all(&al); /* handoff returned: it failed */
			}
			break;
		}
		/* Only failures get here (ResetSystem does not return). */
		countdown = 0;
		/* drop keys typed while loading, so the message is not skipped */
		uefi_call_wrapper(ST->ConIn->Reset, 2, ST->ConIn, FALSE);
		Print(L"Press any key to return to the menu\n");
		wait_key(10, &key);
	}
}
