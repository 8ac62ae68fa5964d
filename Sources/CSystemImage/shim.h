#ifndef GANKIT_CSYSTEMIMAGE_SHIM_H
#define GANKIT_CSYSTEMIMAGE_SHIM_H
// zlib (gzip-compressed IDX files), libpng and libjpeg (image folders, PNG output) from Debian.
#include <stdio.h>
#include <zlib.h>
#include <png.h>
#include <jpeglib.h>
#endif
