/* driver.c - runs a libFuzzer-style target (LLVMFuzzerTestOneInput) without libFuzzer, so every build
 * and the sanitizer build exercise it under CTest: each file of the corpus directories given as
 * arguments is fed as is, then a fixed number of deterministic mutations of them (byte flips,
 * insertions, deletions, truncations and splices). LABGATE_FUZZ_RUNS overrides the number of mutations. */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    uint8_t *data;
    size_t size;
} input_t;

static input_t *inputs;
static const uint8_t *current;
static size_t current_size;
static size_t ninputs;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t
next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void
add_input(const uint8_t *data, size_t size)
{
    inputs = realloc(inputs, (ninputs + 1) * sizeof(*inputs));
    inputs[ninputs].data = malloc(size ? size : 1);
    memcpy(inputs[ninputs].data, data, size);
    inputs[ninputs].size = size;
    ninputs++;
}

static void
load_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return;
    uint8_t buf[65536];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    add_input(buf, n);
}

static void
load(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        load_file(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char full[4096];
        snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
        load_file(full);
    }
    closedir(d);
}

static size_t
mutate(uint8_t *buf, size_t size, size_t cap)
{
    int rounds = 1 + (int)(next_random() % 4);
    static const uint8_t interesting[] = {'/',  '.',  '%', '\0', '\\', '\n', 0x80,
                                          0xC3, 0xFF, '?', '#',  ':',  '-',  '@'};
    for (int r = 0; r < rounds; r++) {
        switch (next_random() % 6) {
        case 0: /* flip a byte */
            if (size)
                buf[next_random() % size] ^= (uint8_t)(1u << (next_random() % 8));
            break;
        case 1: /* set an interesting byte */
            if (size)
                buf[next_random() % size] = interesting[next_random() % sizeof(interesting)];
            break;
        case 2: /* insert */
            if (size < cap) {
                size_t at = size ? next_random() % (size + 1) : 0;
                memmove(buf + at + 1, buf + at, size - at);
                buf[at] = interesting[next_random() % sizeof(interesting)];
                size++;
            }
            break;
        case 3: /* delete */
            if (size) {
                size_t at = next_random() % size;
                memmove(buf + at, buf + at + 1, size - at - 1);
                size--;
            }
            break;
        case 4: /* truncate */
            if (size)
                size = next_random() % size;
            break;
        default: { /* splice in part of another input */
            input_t *o = &inputs[next_random() % ninputs];
            if (o->size && size < cap) {
                size_t from = next_random() % o->size, len = 1 + next_random() % (o->size - from);
                size_t at = size ? next_random() % size : 0;
                if (len > cap - at)
                    len = cap - at;
                memcpy(buf + at, o->data + from, len);
                if (at + len > size)
                    size = at + len;
            }
            break;
        }
        }
    }
    return size;
}

/* On a crash, prints the input being run as C string escapes, to paste into a corpus file or a test. */
static void
on_crash(int sig)
{
    static const char hex[] = "0123456789abcdef";
    char line[8];
    write(2, "\nfailing input: \"", 18);
    for (size_t i = 0; current && i < current_size; i++) {
        unsigned char c = current[i];
        size_t n = 0;
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            line[n++] = (char)c;
        } else {
            line[n++] = '\\', line[n++] = 'x', line[n++] = hex[c >> 4], line[n++] = hex[c & 15];
        }
        write(2, line, n);
    }
    write(2, "\"\n", 2);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
run_one(const uint8_t *data, size_t size)
{
    current = data;
    current_size = size;
    LLVMFuzzerTestOneInput(data, size);
}

int
main(int argc, char **argv)
{
    signal(SIGABRT, on_crash);
    signal(SIGSEGV, on_crash);
    for (int i = 1; i < argc; i++)
        load(argv[i]);
    if (ninputs == 0)
        add_input((const uint8_t *)"", 0);
    for (size_t i = 0; i < ninputs; i++)
        run_one(inputs[i].data, inputs[i].size);

    const char *env = getenv("LABGATE_FUZZ_RUNS");
    long runs = env ? strtol(env, NULL, 10) : 50000;
    static uint8_t buf[1 << 16];
    for (long r = 0; r < runs; r++) {
        input_t *in = &inputs[next_random() % ninputs];
        size_t size = in->size < sizeof(buf) ? in->size : sizeof(buf);
        memcpy(buf, in->data, size);
        size = mutate(buf, size, sizeof(buf));
        /* hand the target an exact-size heap copy so ASan sees reads past the end */
        uint8_t *exact = malloc(size ? size : 1);
        memcpy(exact, buf, size);
        run_one(exact, size);
        free(exact);
    }
    printf("%zu corpus inputs and %ld mutations ran clean\n", ninputs, runs);
    for (size_t i = 0; i < ninputs; i++)
        free(inputs[i].data);
    free(inputs);
    return 0;
}
