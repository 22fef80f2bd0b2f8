/* manifest.c - the record of what labgate imported into a folder; see manifest.h. */
#include "importer/manifest.h"

#include "core/buf.h"
#include "importer/project.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MANIFEST_MAX (64 * 1024 * 1024)

static json_t *
read_json(int root, const char *dirpath, const char *folder)
{
    int dir = lg_project_opendir(root, dirpath, strlen(dirpath), 0, NULL);
    if (dir < 0)
        return NULL;
    lg_buf_t name = LG_BUF_INIT;
    lg_buf_printf(&name, "%s.json", folder);
    /* Non-blocking and only a regular file of sane size: the user may have put anything there. */
    int fd = openat(dir, lg_buf_str(&name), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    json_t *json = NULL;
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MANIFEST_MAX)) {
        close(fd);
        fd = -1;
    }
    if (fd >= 0) {
        FILE *f = fdopen(fd, "r");
        if (f != NULL) {
            json = json_loadf(f, JSON_REJECT_DUPLICATES, NULL);
            fclose(f);
        } else {
            close(fd);
        }
    }
    lg_buf_free(&name);
    close(dir);
    return json;
}

void
lg_manifest_load(lg_manifest_t *m, int root, const char *dir, const char *folder)
{
    m->root = read_json(root, dir, folder);
    m->files = m->root ? json_object_get(m->root, "files") : NULL;
    if (m->root == NULL || !json_is_object(m->root) || !json_is_object(m->files) ||
        json_integer_value(json_object_get(m->root, "version")) != 1) {
        json_decref(m->root);
        m->root = json_pack("{s:i}", "version", 1);
        m->files = json_object();
        json_object_set_new(m->root, "files", m->files);
    }
}

const char *
lg_manifest_file(const lg_manifest_t *m, const char *path)
{
    return json_string_value(json_object_get(m->files, path));
}

void
lg_manifest_set_file(lg_manifest_t *m, const char *path, const char *hex)
{
    json_object_set_new(m->files, path, json_string(hex));
}

const char *
lg_manifest_get(const lg_manifest_t *m, const char *key)
{
    return json_string_value(json_object_get(m->root, key));
}

void
lg_manifest_set(lg_manifest_t *m, const char *key, const char *value)
{
    json_object_set_new(m->root, key, json_string(value));
}

#define HEADS_MAX 64

int
lg_manifest_has_head(const lg_manifest_t *m, const char *hex)
{
    json_t *heads = json_object_get(m->root, "heads");
    size_t i;
    json_t *v;
    json_array_foreach(heads, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), hex) == 0)
            return 1;
    }
    return 0;
}

void
lg_manifest_add_head(lg_manifest_t *m, const char *hex)
{
    json_t *heads = json_object_get(m->root, "heads");
    if (!json_is_array(heads)) {
        heads = json_array();
        json_object_set_new(m->root, "heads", heads);
    }
    if (lg_manifest_has_head(m, hex))
        return;
    json_array_append_new(heads, json_string(hex));
    while (json_array_size(heads) > HEADS_MAX)
        json_array_remove(heads, 0);
}

int
lg_manifest_save(const lg_manifest_t *m, int root, const char *dir, const char *folder, lg_err_t *err)
{
    char *text = json_dumps(m->root, JSON_COMPACT | JSON_SORT_KEYS);
    lg_buf_t name = LG_BUF_INIT;
    lg_buf_printf(&name, "%s.json", folder);
    int rc = lg_project_write_file(root, dir, lg_buf_str(&name), text, strlen(text), err);
    lg_buf_free(&name);
    free(text);
    return rc;
}

void
lg_manifest_free(lg_manifest_t *m)
{
    json_decref(m->root);
    m->root = m->files = NULL;
}
