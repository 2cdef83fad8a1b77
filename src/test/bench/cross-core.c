// What it costs one core to touch memory the other core just wrote, against its own writes and against
// memory no cache holds: the traffic a product split across cores pays for its inputs and outputs.
// gcc -O2 -o /tmp/cross-core src/test/bench/cross-core.c -lpthread && /tmp/cross-core 200
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t floats;
static float *buf;
static atomic_int turn;
static const int REPS = 400;
static volatile float sink;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// one float of every 64-byte line
static float read_lines(const float *p, size_t n) {
    float sum = 0;
    for (size_t i = 0; i < n; i += 16) {
        sum += p[i];
    }
    return sum;
}

static void write_all(float *p, size_t n, float v) {
    for (size_t i = 0; i < n; i++) {
        p[i] = v;
    }
}

static void *other_core(void *unused) {
    pin(0);
    for (int r = 0; r < REPS; r++) {
        while (atomic_load(&turn) != 0) {
        }
        write_all(buf, floats, (float) r);
        atomic_store(&turn, 1);
    }
    return NULL;
}

int main(int argc, char **argv) {
    size_t bytes = (size_t) atoi(argc > 1 ? argv[1] : "200") * 1024;
    size_t bigBytes = (size_t) 1 << 30;
    floats = bytes / 4;
    buf = aligned_alloc(64, bytes);
    float *big = aligned_alloc(64, bigBytes);
    memset(big, 1, bigBytes);
    memset(buf, 0, bytes);
    pthread_t t;
    pthread_create(&t, NULL, other_core, NULL);
    pin(1);
    double readOther = 0, writeOther = 0, readOwn = 0, readMemory = 0;
    size_t offset = 0;
    for (int r = 0; r < REPS; r++) {
        while (atomic_load(&turn) != 1) {
        }
        double t0 = now();
        if (r % 2 == 0) {
            sink = read_lines(buf, floats);
            readOther += now() - t0;
        } else {
            write_all(buf, floats, (float) r);
            writeOther += now() - t0;
        }
        write_all(buf, floats, (float) r);
        t0 = now();
        sink = read_lines(buf, floats);
        readOwn += now() - t0;
        offset = (offset + bytes * 7 + 4096) % (bigBytes - bytes);
        t0 = now();
        sink = read_lines(big + offset / 4, floats);
        readMemory += now() - t0;
        atomic_store(&turn, 0);
    }
    pthread_join(t, NULL);
    int half = REPS / 2;
    printf("%zu KiB on cpu 1: read what cpu 0 wrote %.1f us (%.1f GB/s), overwrite it %.1f us (%.1f GB/s); "
           "read its own writes %.1f us (%.1f GB/s); read memory no cache holds %.1f us (%.1f GB/s)\n",
           bytes / 1024, readOther / half / 1e3, bytes / (readOther / half), writeOther / half / 1e3,
           bytes / (writeOther / half), readOwn / REPS / 1e3, bytes / (readOwn / REPS),
           readMemory / REPS / 1e3, bytes / (readMemory / REPS));
    return 0;
}
