// Neural-network kernels: convolution, normalization, pooling, resampling,
// linear layers and losses.
#include "shim.h"

DSL_API Handle dsl_conv2d(Handle x, Handle w, Handle b, const int64_t* stride, const int64_t* padding,
                          const int64_t* dilation, int64_t groups) {
  DSL_TENSOR(at::conv2d(T(x), T(w), opt(b), ints(stride, 2), ints(padding, 2), ints(dilation, 2), groups))
}

DSL_API Handle dsl_batch_norm(Handle x, Handle weight, Handle bias, Handle running_mean, Handle running_var,
                              int training, double momentum, double eps) {
  DSL_TENSOR(at::batch_norm(T(x), opt(weight), opt(bias), opt(running_mean), opt(running_var), training != 0,
                            momentum, eps, /*cudnn_enabled=*/true))
}

DSL_API Handle dsl_max_pool2d(Handle x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                              const int64_t* dilation, int ceil_mode) {
  DSL_TENSOR(at::max_pool2d(T(x), ints(kernel, 2), ints(stride, 2), ints(padding, 2), ints(dilation, 2),
                            ceil_mode != 0))
}

DSL_API Handle dsl_avg_pool2d(Handle x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                              int ceil_mode, int count_include_pad) {
  DSL_TENSOR(at::avg_pool2d(T(x), ints(kernel, 2), ints(stride, 2), ints(padding, 2), ceil_mode != 0,
                            count_include_pad != 0))
}

DSL_API Handle dsl_adaptive_avg_pool2d(Handle x, int64_t height, int64_t width) {
  DSL_TENSOR(at::adaptive_avg_pool2d(T(x), {height, width}))
}

// mode 0: 'nearest' (PyTorch's legacy nearest, source = floor(dst * in / out));
// mode 1: bilinear with align_corners = false.
DSL_API Handle dsl_interpolate(Handle x, int64_t height, int64_t width, int mode) {
  DSL_TENSOR(mode == 0 ? at::upsample_nearest2d(T(x), {height, width})
                       : at::upsample_bilinear2d(T(x), {height, width}, /*align_corners=*/false))
}

DSL_API Handle dsl_linear(Handle x, Handle w, Handle b) { DSL_TENSOR(at::linear(T(x), T(w), opt(b))) }
DSL_API Handle dsl_matmul(Handle a, Handle b) { DSL_TENSOR(at::matmul(T(a), T(b))) }
DSL_API Handle dsl_dropout(Handle x, double p, int training) { DSL_TENSOR(at::dropout(T(x), p, training != 0)) }
DSL_API Handle dsl_log_softmax(Handle x, int64_t dim) { DSL_TENSOR(at::log_softmax(T(x), dim)) }
DSL_API Handle dsl_softmax(Handle x, int64_t dim) { DSL_TENSOR(at::softmax(T(x), dim)) }

// reduction: 0 none, 1 mean, 2 sum (at::Reduction's values).
DSL_API Handle dsl_cross_entropy(Handle logits, Handle target, int reduction, double label_smoothing) {
  DSL_TENSOR(at::cross_entropy_loss(T(logits), T(target), c10::nullopt, reduction, -100, label_smoothing))
}
