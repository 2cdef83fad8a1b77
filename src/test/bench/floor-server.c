/*
 * A latency floor for the read benchmarks: a keep-alive HTTP server with one thread per connection
 * (blocking reads, no poller, no hand-off to a pool) that answers every request with a fixed 200 after
 * spinning for a given number of nanoseconds of CPU, as much as the service spends on a read. Run wrk
 * against it exactly as against the service to see what the machine alone does to the tail.
 *   gcc -O2 -o /tmp/floor-server src/test/bench/floor-server.c -lpthread
 *   /tmp/floor-server 18125 250000 &
 *   wrk -t1 -c8 -d15s -s src/test/bench/percentiles.lua http://127.0.0.1:18125/
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
static long work_ns;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *serve(void *arg) {
    int fd = (int) (long) arg;
    char buf[8192];
    int have = 0;
    for (;;) {
        int n = read(fd, buf + have, sizeof buf - have);
        if (n <= 0) {
            break;
        }
        have += n;
        char *end;
        while ((end = memmem(buf, have, "\r\n\r\n", 4)) != NULL) {
            int used = end + 4 - buf;
            for (long start = now_ns(); now_ns() - start < work_ns;) {
            }
            if (write(fd, RESPONSE, sizeof RESPONSE - 1) < 0) {
                break;
            }
            memmove(buf, buf + used, have - used);
            have -= used;
        }
        if (have == sizeof buf) {
            break;
        }
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        return 2;
    }
    work_ns = argc > 2 ? atol(argv[2]) : 0;
    int server = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(server, (struct sockaddr *) &address, sizeof address) < 0 || listen(server, 128) < 0) {
        return 1;
    }
    for (;;) {
        int fd = accept(server, NULL, NULL);
        if (fd < 0) {
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        pthread_t thread;
        pthread_create(&thread, NULL, serve, (void *) (long) fd);
        pthread_detach(thread);
    }
}
