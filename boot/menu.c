/*
 * boot/menu.c - the boot menu on the firmware console.
 *
 * ConOut is mirrored to COM1 by OVMF, and that serial line is how tests and
 * most users see the menu, so the output is plain lines: the menu is printed
 * whole only when the selection changes, and the countdown rewrites a single
 * line with '\r'. Keys: Up/Down move, 1-9 select, Enter boots the selection,
 * any key stops the countdown. Waiting uses ConIn->WaitForKey together with
 * a one-second timer event, so the countdown needs no polling.
 */
#include "bootmgr.h"

static const CHAR16 *const action_names[] = { L"Reboot", L"Power off", L"Exit to firmware" };
static const enum menu_action action_codes[] = { MENU_REBOOT, MENU_POWEROFF, MENU_EXIT };
#define NACTIONS 3

/* Poll-based fallback for firmware that refuses to create a timer. */
static int poll_key(int timeout_s, EFI_INPUT_KEY *key)
{
	int ticks;
	for (ticks = 0; ticks < timeout_s * 20; ticks++) {
		if (!EFI_ERROR(uefi_call_wrapper(ST->ConIn->ReadKeyStroke, 2,
						 ST->ConIn, key)))
			return 1;
		uefi_call_wrapper(BS->Stall, 1, 50000);
	}
	return 0;
}

int wait_key(int timeout_s, EFI_INPUT_KEY *key)
{
	EFI_EVENT ev[2], timer = NULL;
	UINTN n = 1, idx;
	EFI_STATUS st;
	int got = 0;

	ev[0] = ST->ConIn->WaitForKey;
	if (timeout_s >= 0) {
		st = uefi_call_wrapper(BS->CreateEvent, 5, EVT_TIMER, 0, NULL,
				       NULL, &timer);
		if (EFI_ERROR(st))
			return poll_key(timeout_s, key);
		/* the unit is 100 ns */
		uefi_call_wrapper(BS->SetTimer, 3, timer, TimerRelative,
				  (UINT64)timeout_s * 10000000ULL);
		ev[1] = timer;
		n = 2;
	}
	for (;;) {
		st = uefi_call_wrapper(BS->WaitForEvent, 3, n, ev, &idx);
		if (EFI_ERROR(st) || idx == 1)
			break;
		/* WaitForKey may fire for a partial escape sequence: keep waiting */
		if (!EFI_ERROR(uefi_call_wrapper(ST->ConIn->ReadKeyStroke, 2,
						 ST->ConIn, key))) {
			got = 1;
			break;
		}
	}
	if (timer)
		uefi_call_wrapper(BS->CloseEvent, 1, timer);
	return got;
}

/* The countdown line must fit in 80 columns, or the console wraps it and
 * the '\r' rewrite no longer lands on the same line: shorten long titles. */
#define COUNTDOWN_TITLE_MAX 24
static void short_title(char *dst, const char *title)
{
	int i;
	for (i = 0; title[i] && i < COUNTDOWN_TITLE_MAX; i++)
		dst[i] = title[i];
	if (title[i]) {
		dst[i - 3] = dst[i - 2] = dst[i - 1] = '.';
	}
	dst[i] = 0;
}

static void draw(const struct bootcfg *cfg, int sel)
{
	int i, n = cfg->nentries;

	Print(L"\nRayOS boot manager\n\n");
	if (!n)
		Print(L"  (no bootable entries: see the messages above)\n");
	for (i = 0; i < n; i++)
		Print(L"  %d) %a%s\n", i + 1, cfg->entries[i].title,
		      i == sel ? L"  <" : L"");
	Print(L"\n");
	for (i = 0; i < NACTIONS; i++)
		Print(L"  %d) %s%s\n", n + i + 1, action_names[i],
		      n + i == sel ? L"  <" : L"");
	Print(L"\n");
}

static enum menu_action choose(const struct bootcfg *cfg, int sel, int *index)
{
	if (sel < cfg->nentries) {
		*index = sel;
		return MENU_BOOT;
	}
	return action_codes[sel - cfg->nentries];
}

enum menu_action menu_run(const struct bootcfg *cfg, int *index, int *countdown)
{
	int nitems = cfg->nentries + NACTIONS;
	int sel = cfg->nentries ? *index : 0;
	int remaining = cfg->timeout;
	int counting = *countdown && cfg->nentries && cfg->timeout >= 0;
	int prompted = 0;
	char title[COUNTDOWN_TITLE_MAX + 1];
	EFI_INPUT_KEY key;

	uefi_call_wrapper(ST->ConIn->Reset, 2, ST->ConIn, FALSE);
	draw(cfg, sel);
	for (;;) {
		if (counting) {
			if (remaining <= 0) {
				Print(L"\n");
				return choose(cfg, sel, index);
			}
			short_title(title, cfg->entries[sel].title);
			Print(L"\rBoot \"%a\" in %d s... (arrows/number to choose, Enter to boot, any key stops) ",
			      title, remaining);
			if (!wait_key(1, &key)) {
				remaining--;
				continue;
			}
			counting = 0;
			*countdown = 0;
			Print(L"\n");
		} else {
			if (!prompted) {
				Print(L"Choose with arrows or 1-%d, Enter to start.\n", nitems);
				prompted = 1;
			}
			if (!wait_key(-1, &key))
				continue;
		}

		if (key.UnicodeChar == CHAR_CARRIAGE_RETURN || key.UnicodeChar == CHAR_LINEFEED)
			return choose(cfg, sel, index);
		if (key.ScanCode == SCAN_UP || key.ScanCode == SCAN_DOWN ||
		    (key.UnicodeChar >= '1' && key.UnicodeChar <= '9' &&
		     key.UnicodeChar - '0' <= nitems)) {
			if (key.ScanCode == SCAN_UP)
				sel = (sel + nitems - 1) % nitems;
			else if (key.ScanCode == SCAN_DOWN)
				sel = (sel + 1) % nitems;
			else
				sel = key.UnicodeChar - '1';
			draw(cfg, sel);
			prompted = 0;
		}
	}
}
