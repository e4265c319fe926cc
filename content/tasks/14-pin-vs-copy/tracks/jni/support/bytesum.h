/*
 * bytesum: the lab's C function for task 14. sum_bytes reads n bytes at data (it never writes
 * them) and returns their sum, each byte taken as unsigned (0 .. 255).
 */
#ifndef BYTESUM_H
#define BYTESUM_H

#include <stddef.h>
#include <stdint.h>

uint64_t sum_bytes(const unsigned char *data, size_t n);

#endif
