/* fuzz_config.c - option values: the input is "name=value" lines fed to lg_config_set. Whatever is
 * accepted must print back (lg_config_print_ini) and then parse again to the same text. */
#include "core/config.h"

#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
print(const lg_config_t *cfg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    lg_config_print_ini(f, cfg);
    fclose(f);
    return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lg_config_t cfg, again;
    char *input = lg_xstrndup((const char *)data, size), *save = NULL;
    int npos;
    char *argv[] = {NULL};
    lg_config_load(&cfg, LG_CMD_ALL, 0, argv, NULL, &npos, NULL);
    for (char *line = strtok_r(input, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        lg_err_t err;
        if (lg_config_set(&cfg, line, eq + 1, &err) != 0 && strlen(err.msg) == 0)
            abort(); /* a refusal always says why */
    }
    char *first = print(&cfg);
    lg_config_load(&again, LG_CMD_ALL, 0, argv, NULL, &npos, NULL);
    char *copy = lg_xstrdup(first);
    int listen_seen = 0;
    save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strstr(line, " = ");
        if (eq == NULL)
            continue;
        *eq = '\0';
        if (strcmp(line, "listen") == 0 && !listen_seen++)
            again.nlisten = 0; /* printed addresses replace the default */
        if (lg_config_set(&again, line, eq + 3, NULL) != 0)
            abort(); /* what was printed must read back */
    }
    char *second = print(&again);
    if (strcmp(first, second) != 0)
        abort();
    free(first);
    free(second);
    free(copy);
    free(input);
    lg_config_free(&cfg);
    lg_config_free(&again);
    return 0;
}
