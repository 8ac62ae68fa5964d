#ifndef GANKIT_CIMAGECODECS_H
#define GANKIT_CIMAGECODECS_H
// JPEG decoding and encoding through libjpeg, with libjpeg's fatal errors turned into return codes.
//
// libjpeg reports a corrupt file by calling `error_exit`, which must not return; its default
// calls exit(). The only safe way out is a longjmp back to the caller, which Swift cannot do, so
// this small C target does it and hands Swift an error code and message instead.
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Decodes the JPEG in `data[0..<size]` to 8-bit pixels, interleaved, row-major, top row first.
/// `gray` 1 asks for one channel, 0 for three (RGB), 2 for the file's own (grey or RGB). An image
/// of more than `max_pixels` pixels is refused from its header, before anything is allocated for it. On success returns 0 and sets
/// `*pixels` (free it with `gankit_jpeg_free`), `*width`, `*height` and `*channels`. On failure
/// returns nonzero, leaves `*pixels` NULL and writes libjpeg's message into `message`.
int gankit_jpeg_decode(const unsigned char *data, size_t size, int gray, size_t max_pixels,
                       unsigned char **pixels, int *width, int *height, int *channels,
                       char *message, size_t message_capacity);

/// Encodes `pixels` (width × height × channels bytes, channels 1 or 3) as a baseline JPEG of the
/// given quality (1...100). On success returns 0 and sets `*out` (free with `gankit_jpeg_free`)
/// and `*out_size`; on failure returns nonzero and writes a message.
int gankit_jpeg_encode(const unsigned char *pixels, int width, int height, int channels, int quality,
                       unsigned char **out, size_t *out_size, char *message, size_t message_capacity);

/// Frees a buffer returned by `gankit_jpeg_decode` or `gankit_jpeg_encode`.
void gankit_jpeg_free(unsigned char *buffer);

#ifdef __cplusplus
}
#endif
#endif
