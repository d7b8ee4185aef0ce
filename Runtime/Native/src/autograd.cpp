// Autograd, grad-mode scopes, random state and threading.
#include "shim.h"
#include <ATen/core/grad_mode.h>
#include <c10/core/InferenceMode.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/csrc/autograd/autograd.h>

DSL_API int dsl_backward(Handle loss, Handle gradient, int retain_graph) {
  DSL_STATUS(T(loss).backward(gradient ? T(gradient) : at::Tensor(),
                              retain_graph != 0);)
}

// Writes null into *out when the gradient is undefined.
DSL_API int dsl_tensor_grad(Handle h, Handle* out) {
  DSL_STATUS({
    const auto& g = T(h).grad();
    *out = g.defined() ? wrap(g) : nullptr;
  })
}

// Sets the gradient to none, as PyTorch's zero_grad(set_to_none=True) does.
DSL_API int dsl_tensor_clear_grad(Handle h) { DSL_STATUS(T(h).mutable_grad() = at::Tensor();) }
DSL_API int dsl_tensor_set_grad(Handle h, Handle g) { DSL_STATUS(T(h).mutable_grad() = g ? T(g) : at::Tensor();) }

DSL_API int dsl_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
DSL_API void dsl_set_grad_enabled(int enabled) { at::GradMode::set_enabled(enabled != 0); }

DSL_API void* dsl_inference_mode_enter() {
  try {
    return new c10::InferenceMode();
  } catch (const std::exception& e) {
    dsl_set_error(e.what());
    return nullptr;
  }
}
DSL_API void dsl_inference_mode_exit(void* guard) { delete static_cast<c10::InferenceMode*>(guard); }

DSL_API void dsl_manual_seed(uint64_t seed) { at::manual_seed(seed); }
DSL_API Handle dsl_rng_get_state() { DSL_TENSOR(at::detail::getDefaultCPUGenerator().get_state()) }
DSL_API int dsl_rng_set_state(Handle state) { DSL_STATUS({
  auto generator = at::detail::getDefaultCPUGenerator();
  generator.set_state(T(state));
}) }

DSL_API void dsl_set_num_threads(int n) { at::set_num_threads(n); }
DSL_API int dsl_get_num_threads() { return at::get_num_threads(); }
DSL_API int dsl_cuda_device_count() {
  try {
    return at::hasCUDA() ? static_cast<int>(at::detail::getCUDAHooks().getNumGPUs()) : 0;
  } catch (...) {
    return 0;
  }
}
