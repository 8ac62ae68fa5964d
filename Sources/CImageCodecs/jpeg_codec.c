#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

// An error manager whose error_exit jumps back to the entry point instead of exiting.
struct gankit_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
    size_t capacity;
};

static void gankit_error_exit(j_common_ptr cinfo) {
    struct gankit_jpeg_error *err = (struct gankit_jpeg_error *)cinfo->err;
    if (err->message && err->capacity > 0) {
        char buffer[JMSG_LENGTH_MAX];
        (*cinfo->err->format_message)(cinfo, buffer);
        strncpy(err->message, buffer, err->capacity - 1);
        err->message[err->capacity - 1] = '\0';
    }
    longjmp(err->jump, 1);
}

// Warnings (e.g. "premature end of data segment") are errors for a training set: a truncated
// image would silently enter the data set with grey padding.
static void gankit_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) gankit_error_exit(cinfo);
}

int gankit_jpeg_decode(const unsigned char *data, size_t size, int gray, size_t max_pixels,
                       unsigned char **pixels, int *width, int *height, int *channels,
                       char *message, size_t message_capacity) {
    struct jpeg_decompress_struct cinfo;
    struct gankit_jpeg_error err;
    unsigned char *volatile buffer = NULL;
    *pixels = NULL;
    if (message && message_capacity > 0) message[0] = '\0';
    if (size == 0) {
        if (message && message_capacity > 0) snprintf(message, message_capacity, "empty file");
        return 1;
    }
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = gankit_error_exit;
    err.base.emit_message = gankit_emit_message;
    err.message = message;
    err.capacity = message_capacity;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(buffer);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    // A header of a few bytes can announce 65535 x 65535 pixels: refused before libjpeg or this
    // function allocates for them (found by fuzzing: a 4 GB allocation from a tiny file).
    if ((unsigned long long)cinfo.image_width * cinfo.image_height > max_pixels) {
        if (message && message_capacity > 0)
            snprintf(message, message_capacity, "image size %ux%u is more than %zu pixels",
                     (unsigned)cinfo.image_width, (unsigned)cinfo.image_height, max_pixels);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    if (gray == 2) gray = cinfo.num_components == 1;
    cinfo.out_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    buffer = malloc(stride * cinfo.output_height);
    if (!buffer) {
        if (message && message_capacity > 0) snprintf(message, message_capacity, "out of memory");
        jpeg_destroy_decompress(&cinfo);
        return 2;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = buffer + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    *width = (int)cinfo.output_width;
    *height = (int)cinfo.output_height;
    *channels = cinfo.output_components;
    jpeg_destroy_decompress(&cinfo);
    *pixels = buffer;
    return 0;
}

int gankit_jpeg_encode(const unsigned char *pixels, int width, int height, int channels, int quality,
                       unsigned char **out, size_t *out_size, char *message, size_t message_capacity) {
    struct jpeg_compress_struct cinfo;
    struct gankit_jpeg_error err;
    unsigned char *volatile buffer = NULL;
    unsigned long length = 0;
    *out = NULL;
    *out_size = 0;
    if (message && message_capacity > 0) message[0] = '\0';
    if ((channels != 1 && channels != 3) || width <= 0 || height <= 0) {
        if (message && message_capacity > 0) snprintf(message, message_capacity, "unsupported image %dx%d with %d channels", width, height, channels);
        return 1;
    }
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = gankit_error_exit;
    err.message = message;
    err.capacity = message_capacity;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    unsigned char *target = NULL;
    jpeg_mem_dest(&cinfo, &target, &length);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + stride * cinfo.next_scanline);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    buffer = target;
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *out_size = (size_t)length;
    return 0;
}

void gankit_jpeg_free(unsigned char *buffer) { free(buffer); }
