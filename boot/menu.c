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

/*
 * The countdown line must fit on one console row, or the console wraps it
 * and the '\r' rewrite no longer lands on the same row (a mess on a serial
 * line). So: the full hint when it fits, else a short one, and the title cut
 * to what is left.
 */
#define HINT_LONG  " s... (arrows/number to choose, Enter to boot, any key stops) "
#define HINT_SHORT " s... (Enter boots, any key stops) "
#define TITLE_ROOM 64

static UINTN console_columns(void)
{
	UINTN cols = 80, rows;
	if (EFI_ERROR(uefi_call_wrapper(ST->ConOut->QueryMode, 4, ST->ConOut,
					ST->ConOut->Mode->Mode, &cols, &rows)) || cols < 40)
		cols = 80;
	return cols;
}

static UINTN ndigits(int v)
{
	UINTN n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void print_countdown(const char *title, int remaining)
{
	UINTN room = console_columns() - 1; /* never touch the last column */
	UINTN fixed = 6 + 5 + ndigits(remaining); /* Boot "..." in N */
	UINTN tlen = strlena((const CHAR8 *)title), keep, i;
	const CHAR16 *hint = L"" HINT_LONG;
	char t[TITLE_ROOM + 1];

	if (fixed + tlen + sizeof HINT_LONG - 1 > room) {
		hint = L"" HINT_SHORT;
		fixed += sizeof HINT_SHORT - 1;
	} else {
		fixed += sizeof HINT_LONG - 1;
	}
	keep = room > fixed + 4 ? room - fixed : 4;
	if (keep > TITLE_ROOM)
		keep = TITLE_ROOM;
	for (i = 0; i < tlen && i < keep; i++)
		t[i] = title[i];
	if (tlen > keep)
		t[keep - 3] = t[keep - 2] = t[keep - 1] = '.';
	t[i] = 0;
	Print(L"\rBoot \"%a\" in %d%s", t, remaining, hint);
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
	EFI_INPUT_KEY key;

	uefi_call_wrapper(ST->ConIn->Reset, 2, ST->ConIn, FALSE);
	draw(cfg, sel);
	for (;;) {
		if (counting) {
			if (remaining <= 0) {
				Print(L"\n");
				return choose(cfg, sel, index);
			}
			print_countdown(cfg->entries[sel].title, remaining);
			if (!wait_key(1, &key)) {
				remaining--;
				continue;
			}
			counting = 0;
			*countdown = 0;
			Print(L"\n");
		} else {
			if (!prompted) {
				Print(L"Choose with arrows or 1-%d, Enter to start.\n",
				      nitems < 9 ? nitems : 9);
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
