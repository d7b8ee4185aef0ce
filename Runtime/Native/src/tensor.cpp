// Tensor lifetime, creation, metadata, data transfer, elementwise arithmetic,
// reductions and shape manipulation.
#include "shim.h"
#include <cstring>

namespace {
at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(device_of(device_type, device_index));
}

enum Binary { Add = 0, Sub = 1, Mul = 2, Div = 3, Eq = 4, Maximum = 5, Minimum = 6, Pow = 7, Gt = 8, Lt = 9 };
enum Unary { Relu = 0, Sigmoid = 1, Neg = 2, Exp = 3, Log = 4, Sqrt = 5, Abs = 6, Tanh = 7, Sign = 8 };

at::Tensor binary(int op, const at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case Add: return a + b;
    case Sub: return a - b;
    case Mul: return a * b;
    case Div: return a / b;
    case Eq: return a.eq(b);
    case Maximum: return at::maximum(a, b);
    case Minimum: return at::minimum(a, b);
    case Pow: return a.pow(b);
    case Gt: return a.gt(b);
    case Lt: return a.lt(b);
  }
  throw std::invalid_argument("unknown binary op " + std::to_string(op));
}

void binary_(int op, at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case Add: a.add_(b); return;
    case Sub: a.sub_(b); return;
    case Mul: a.mul_(b); return;
    case Div: a.div_(b); return;
  }
  throw std::invalid_argument("binary op " + std::to_string(op) + " has no in-place form");
}

at::Tensor unary(int op, const at::Tensor& a) {
  switch (op) {
    case Relu: return at::relu(a);
    case Sigmoid: return at::sigmoid(a);
    case Neg: return at::neg(a);
    case Exp: return at::exp(a);
    case Log: return at::log(a);
    case Sqrt: return at::sqrt(a);
    case Abs: return at::abs(a);
    case Tanh: return at::tanh(a);
    case Sign: return at::sign(a);
  }
  throw std::invalid_argument("unknown unary op " + std::to_string(op));
}

void unary_(int op, at::Tensor& a) {
  switch (op) {
    case Relu: at::relu_(a); return;
    case Sigmoid: a.sigmoid_(); return;
    case Neg: a.neg_(); return;
    case Sqrt: a.sqrt_(); return;
  }
  throw std::invalid_argument("unary op " + std::to_string(op) + " has no in-place form");
}
}  // namespace

DSL_API void dsl_tensor_free(Handle h) { delete h; }

DSL_API Handle dsl_tensor_from_data(const void* data, int dtype, const int64_t* shape, int ndim,
                                    int device_type, int device_index) {
  DSL_TENSOR([&] {
    auto cpu = at::empty(ints(shape, ndim), options(dtype, 0, -1));
    std::memcpy(cpu.data_ptr(), data, cpu.nbytes());
    return device_type == 0 ? cpu : cpu.to(device_of(device_type, device_index));
  }())
}

DSL_API Handle dsl_tensor_full(const int64_t* shape, int ndim, double value, int dtype, int device_type,
                               int device_index) {
  DSL_TENSOR(at::full(ints(shape, ndim), value, options(dtype, device_type, device_index)))
}

DSL_API Handle dsl_tensor_empty(const int64_t* shape, int ndim, int dtype, int device_type, int device_index) {
  DSL_TENSOR(at::empty(ints(shape, ndim), options(dtype, device_type, device_index)))
}

DSL_API Handle dsl_tensor_rand(const int64_t* shape, int ndim, int normal, int dtype, int device_type,
                               int device_index) {
  DSL_TENSOR(normal ? at::randn(ints(shape, ndim), options(dtype, device_type, device_index))
                    : at::rand(ints(shape, ndim), options(dtype, device_type, device_index)))
}

DSL_API Handle dsl_tensor_randperm(int64_t n) { DSL_TENSOR(at::randperm(n, at::kLong)) }

DSL_API Handle dsl_tensor_arange(double start, double end, double step, int dtype, int device_type, int device_index) {
  DSL_TENSOR(at::arange(start, end, step, options(dtype, device_type, device_index)))
}

DSL_API int dsl_tensor_copy_to(Handle h, void* dst, int64_t nbytes) {
  DSL_STATUS({
    auto cpu = T(h).detach().to(at::kCPU).contiguous();
    if (static_cast<int64_t>(cpu.nbytes()) != nbytes)
      throw std::invalid_argument("destination holds " + std::to_string(nbytes) + " bytes, tensor has " +
                                  std::to_string(cpu.nbytes()));
    std::memcpy(dst, cpu.data_ptr(), nbytes);
  })
}

DSL_API int dsl_tensor_dim(Handle h) { return static_cast<int>(T(h).dim()); }
DSL_API int dsl_tensor_shape(Handle h, int64_t* out) {
  for (int64_t i = 0; i < T(h).dim(); ++i) out[i] = T(h).size(i);
  return 0;
}
DSL_API int dsl_tensor_strides(Handle h, int64_t* out) {
  DSL_STATUS(for (int64_t i = 0; i < T(h).dim(); ++i) out[i] = T(h).stride(i);)
}
DSL_API int dsl_tensor_dtype(Handle h) { return static_cast<int>(T(h).scalar_type()); }
DSL_API int dsl_tensor_device_type(Handle h) { return static_cast<int>(T(h).device().type()); }
DSL_API int dsl_tensor_device_index(Handle h) { return T(h).device().index(); }
DSL_API int dsl_tensor_requires_grad(Handle h) { return T(h).requires_grad() ? 1 : 0; }
DSL_API int dsl_tensor_set_requires_grad(Handle h, int value) { DSL_STATUS(T(h).requires_grad_(value != 0);) }
DSL_API int dsl_tensor_is_contiguous(Handle h, int channels_last) {
  return T(h).is_contiguous(channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous) ? 1 : 0;
}
DSL_API int64_t dsl_tensor_storage_offset(Handle h) { return T(h).storage_offset(); }

DSL_API Handle dsl_tensor_to(Handle h, int dtype, int device_type, int device_index) {
  DSL_TENSOR(T(h).to(options(dtype, device_type, device_index)))
}
DSL_API Handle dsl_tensor_contiguous(Handle h, int channels_last) {
  DSL_TENSOR(T(h).contiguous(channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous))
}
DSL_API Handle dsl_tensor_clone(Handle h) { DSL_TENSOR(T(h).clone()) }
DSL_API Handle dsl_tensor_detach(Handle h) { DSL_TENSOR(T(h).detach()) }
DSL_API Handle dsl_tensor_alias(Handle h) { DSL_TENSOR(T(h)) }
DSL_API int dsl_tensor_copy_(Handle dst, Handle src) { DSL_STATUS(T(dst).copy_(T(src));) }
DSL_API int dsl_tensor_fill_(Handle h, double value) { DSL_STATUS(T(h).fill_(value);) }
DSL_API int dsl_tensor_item(Handle h, double* out) { DSL_STATUS(*out = T(h).item<double>();) }
DSL_API int dsl_tensor_normal_(Handle h, double mean, double std) { DSL_STATUS(T(h).normal_(mean, std);) }
DSL_API int dsl_tensor_uniform_(Handle h, double low, double high) { DSL_STATUS(T(h).uniform_(low, high);) }

DSL_API Handle dsl_binary(int op, Handle a, Handle b) { DSL_TENSOR(binary(op, T(a), T(b))) }
DSL_API Handle dsl_binary_scalar(int op, Handle a, double s) {
  DSL_TENSOR(binary(op, T(a), at::scalar_tensor(s, T(a).options())))
}
DSL_API int dsl_binary_(int op, Handle a, Handle b) { DSL_STATUS(binary_(op, T(a), T(b));) }
DSL_API int dsl_binary_scalar_(int op, Handle a, double s) {
  DSL_STATUS(binary_(op, T(a), at::scalar_tensor(s, T(a).options()));)
}
// a += alpha * b, the update every optimizer is made of.
DSL_API int dsl_add_scaled_(Handle a, Handle b, double alpha) { DSL_STATUS(T(a).add_(T(b), alpha);) }
DSL_API Handle dsl_unary(int op, Handle a) { DSL_TENSOR(unary(op, T(a))) }
DSL_API int dsl_unary_(int op, Handle a) { DSL_STATUS(unary_(op, T(a));) }
DSL_API Handle dsl_clamp(Handle a, double low, double high) { DSL_TENSOR(at::clamp(T(a), low, high)) }

DSL_API Handle dsl_sum(Handle h, const int64_t* dims, int ndims, int keepdim) {
  DSL_TENSOR(ndims == 0 ? T(h).sum() : T(h).sum(ints(dims, ndims), keepdim != 0))
}
DSL_API Handle dsl_mean(Handle h, const int64_t* dims, int ndims, int keepdim) {
  DSL_TENSOR(ndims == 0 ? T(h).mean() : T(h).mean(ints(dims, ndims), keepdim != 0))
}
DSL_API Handle dsl_norm(Handle h, double p) { DSL_TENSOR(T(h).norm(p)) }
DSL_API Handle dsl_max_all(Handle h) { DSL_TENSOR(T(h).max()) }
DSL_API Handle dsl_argmax(Handle h, int64_t dim, int keepdim) { DSL_TENSOR(T(h).argmax(dim, keepdim != 0)) }
DSL_API int dsl_topk(Handle h, int64_t k, int64_t dim, int largest, int sorted, Handle* values, Handle* indices) {
  DSL_STATUS({
    auto result = T(h).topk(k, dim, largest != 0, sorted != 0);
    *values = wrap(std::get<0>(result));
    *indices = wrap(std::get<1>(result));
  })
}

DSL_API Handle dsl_view(Handle h, const int64_t* shape, int ndim) { DSL_TENSOR(T(h).view(ints(shape, ndim))) }
DSL_API Handle dsl_reshape(Handle h, const int64_t* shape, int ndim) { DSL_TENSOR(T(h).reshape(ints(shape, ndim))) }
DSL_API Handle dsl_flatten(Handle h, int64_t start, int64_t end) { DSL_TENSOR(T(h).flatten(start, end)) }
DSL_API Handle dsl_permute(Handle h, const int64_t* dims, int ndim) { DSL_TENSOR(T(h).permute(ints(dims, ndim))) }
DSL_API Handle dsl_transpose(Handle h, int64_t a, int64_t b) { DSL_TENSOR(T(h).transpose(a, b)) }
DSL_API Handle dsl_unsqueeze(Handle h, int64_t dim) { DSL_TENSOR(T(h).unsqueeze(dim)) }
DSL_API Handle dsl_squeeze(Handle h, int64_t dim) { DSL_TENSOR(T(h).squeeze(dim)) }
DSL_API Handle dsl_narrow(Handle h, int64_t dim, int64_t start, int64_t length) {
  DSL_TENSOR(T(h).narrow(dim, start, length))
}
DSL_API Handle dsl_index_select(Handle h, int64_t dim, Handle index) { DSL_TENSOR(T(h).index_select(dim, T(index))) }
DSL_API Handle dsl_as_strided(Handle h, const int64_t* shape, const int64_t* strides, int ndim, int64_t offset) {
  DSL_TENSOR(T(h).as_strided(ints(shape, ndim), ints(strides, ndim), offset))
}
DSL_API Handle dsl_cat(Handle* tensors, int count, int64_t dim) {
  DSL_TENSOR(at::cat(handles(tensors, count), dim))
}
DSL_API Handle dsl_stack(Handle* tensors, int count, int64_t dim) {
  DSL_TENSOR(at::stack(handles(tensors, count), dim))
}
DSL_API Handle dsl_where(Handle condition, Handle a, Handle b) { DSL_TENSOR(at::where(T(condition), T(a), T(b))) }
