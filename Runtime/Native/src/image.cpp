// JPEG and PNG decoding to 8-bit RGB through the system's libjpeg and libpng.
// Corrupt input is reported as an error, never a crash: libjpeg's fatal
// errors jump back here instead of calling exit().
#include "shim.h"
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <jpeglib.h>
#include <png.h>

namespace {
struct JpegError {
  jpeg_error_mgr manager;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_jpeg_error(j_common_ptr info) {
  auto* error = reinterpret_cast<JpegError*>(info->err);
  (*info->err->format_message)(info, error->message);
  longjmp(error->jump, 1);
}

void on_jpeg_warning(j_common_ptr, int) {}

// Returns a malloc'ed HxWx3 buffer or null with the error recorded.
uint8_t* decode_jpeg(const uint8_t* data, int64_t length, int* width, int* height) {
  jpeg_decompress_struct info;
  JpegError error;
  info.err = jpeg_std_error(&error.manager);
  error.manager.error_exit = on_jpeg_error;
  error.manager.emit_message = on_jpeg_warning;
  uint8_t* volatile pixels = nullptr;
  if (setjmp(error.jump)) {
    jpeg_destroy_decompress(&info);
    std::free(pixels);
    dsl_set_error(std::string("corrupt JPEG: ") + error.message);
    return nullptr;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, data, static_cast<unsigned long>(length));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = JCS_RGB;
  jpeg_start_decompress(&info);
  const size_t row = static_cast<size_t>(info.output_width) * 3;
  pixels = static_cast<uint8_t*>(std::malloc(row * info.output_height));
  while (info.output_scanline < info.output_height) {
    JSAMPROW line = pixels + row * info.output_scanline;
    jpeg_read_scanlines(&info, &line, 1);
  }
  jpeg_finish_decompress(&info);
  *width = static_cast<int>(info.output_width);
  *height = static_cast<int>(info.output_height);
  jpeg_destroy_decompress(&info);
  return pixels;
}

uint8_t* decode_png(const uint8_t* data, int64_t length, int* width, int* height) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, data, static_cast<size_t>(length))) {
    dsl_set_error(std::string("corrupt PNG: ") + image.message);
    return nullptr;
  }
  image.format = PNG_FORMAT_RGB;
  auto* pixels = static_cast<uint8_t*>(std::malloc(PNG_IMAGE_SIZE(image)));
  if (!png_image_finish_read(&image, nullptr, pixels, 0, nullptr)) {
    std::free(pixels);
    dsl_set_error(std::string("corrupt PNG: ") + image.message);
    png_image_free(&image);
    return nullptr;
  }
  *width = static_cast<int>(image.width);
  *height = static_cast<int>(image.height);
  return pixels;
}
}  // namespace

// Decodes a JPEG or PNG held in memory into a uint8 tensor of shape HxWx3.
DSL_API Handle dsl_image_decode(const uint8_t* data, int64_t length) {
  dsl_clear_error();
  if (length < 8) {
    dsl_set_error("file too short to be an image");
    return nullptr;
  }
  int width = 0, height = 0;
  uint8_t* pixels = nullptr;
  if (data[0] == 0xFF && data[1] == 0xD8) {
    pixels = decode_jpeg(data, length, &width, &height);
  } else if (png_sig_cmp(const_cast<uint8_t*>(data), 0, 8) == 0) {
    pixels = decode_png(data, length, &width, &height);
  } else {
    dsl_set_error("not a JPEG or PNG file");
    return nullptr;
  }
  if (!pixels) return nullptr;
  DSL_TENSOR(at::from_blob(pixels, {height, width, 3}, [](void* p) { std::free(p); }, at::kByte))
}
