/*
 * kernel/include/net/gro.h - generic receive offload (kernel/net/gro.c):
 * a driver hands one interrupt's or one poll's batch of received frames
 * to gro_rx() instead of netif_rx() each, and consecutive in-order TCP
 * data segments of one flow go up as one segment.
 */
#ifndef KERNEL_NET_GRO_H
#define KERNEL_NET_GRO_H

#include "net/netif.h"

/* Hand frames[0..n) of dev, in arrival order, to netif_rx(), each run of
 * mergeable TCP segments as one (counted in dev->stats.rx_gro). Consumes
 * every frame; frames[] is scratch afterwards. Any context. */
void gro_rx(struct netif *dev, struct pkt **frames, unsigned n);

#endif
