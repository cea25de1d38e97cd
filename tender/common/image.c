/* Reading an image file into memory: the part of it the tenders use. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender.h"

/* Read exactly len bytes at off; false on an error (errno set) or a
 * short file (errno 0). */
static bool read_at(int fd, void *buf, size_t len, off_t off)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pread(fd, p, len, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = 0;
            return false;
        }
        p += n;
        len -= (size_t)n;
        off += n;
    }
    return true;
}

/* How much of the file (size bytes) the tenders need: up to the end of
 * the program headers and of the data of every PT_LOAD and PT_NOTE, so
 * that the debug sections after them are not read. The whole file when
 * the headers do not look sane: tender_elf_parse then says why. */
static size_t needed(int fd, size_t size)
{
    Elf64_Ehdr h;
    Elf64_Phdr ph[TENDER_PHDR_MAX];
    if (size < sizeof h || !read_at(fd, &h, sizeof h, 0) ||
        memcmp(h.e_ident, ELFMAG, SELFMAG) != 0 ||
        h.e_phentsize != sizeof ph[0] || h.e_phnum == 0 ||
        h.e_phnum > TENDER_PHDR_MAX || h.e_phoff > size ||
        h.e_phnum * sizeof ph[0] > size - h.e_phoff ||
        !read_at(fd, ph, h.e_phnum * sizeof ph[0], (off_t)h.e_phoff))
        return size;
    uint64_t end = h.e_phoff + h.e_phnum * sizeof ph[0];
    if (end < sizeof h)
        end = sizeof h;
    for (unsigned i = 0; i < h.e_phnum; i++) {
        uint64_t e;
        if (ph[i].p_type != PT_LOAD && ph[i].p_type != PT_NOTE)
            continue;
        if (__builtin_add_overflow(ph[i].p_offset, ph[i].p_filesz, &e) ||
            e > size)
            return size;
        if (e > end)
            end = e;
    }
    return (size_t)end;
}

int tender_image_read(const char *path, struct tender_image *img, char *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tender_errf(err, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return tender_errf(err, "%s: not a regular file", path);
    }
    if (st.st_size == 0 || (uint64_t)st.st_size > TENDER_IMAGE_MAX) {
        close(fd);
        return tender_errf(err, "%s: invalid image: file size %lld", path,
                           (long long)st.st_size);
    }
    size_t size = needed(fd, (size_t)st.st_size);
    uint8_t *data = malloc(size);
    if (!data) {
        close(fd);
        return tender_errf(err, "%s: out of memory", path);
    }
    if (!read_at(fd, data, size, 0)) {
        int e = errno;
        free(data);
        close(fd);
        return tender_errf(err, "%s: read failed: %s", path,
                           e ? strerror(e) : "file shrank");
    }
    close(fd);
    img->data = data;
    img->size = size;
    return 0;
}

void tender_image_free(struct tender_image *img)
{
    free(img->data);
    img->data = NULL;
    img->size = 0;
}
