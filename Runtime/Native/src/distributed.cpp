// Collective communication for data-parallel training, on PyTorch's c10d:
// a TCPStore for rendezvous and a ProcessGroupGloo (or ProcessGroupNCCL when
// libtorch was built with it) for all-reduce, broadcast and barrier. Stores and
// groups cross the ABI as opaque handles. Every blocking wait is bounded by the
// group's timeout, so a peer that died turns into an error instead of a hang.
#include "shim.h"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

// ProcessGroupGloo.hpp includes gloo's own headers (Debian: libgloo-dev); without
// them the entry points still exist and report what is missing.
#if __has_include(<gloo/algorithm.h>)
#define DSL_HAVE_GLOO 1
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#else
#define DSL_HAVE_GLOO 0
#endif

#if DSL_HAVE_GLOO
namespace {

struct StoreBox {
  c10::intrusive_ptr<::c10d::Store> store;
  std::string host;
  std::string address;
};

struct GroupBox {
  c10::intrusive_ptr<::c10d::ProcessGroup> group;
  std::chrono::milliseconds timeout;
  std::string backend;
  int rank;
  int world_size;
};

GroupBox& G(void* h) {
  if (!h) throw std::invalid_argument("process group handle is null (was it disposed?)");
  return *static_cast<GroupBox*>(h);
}

// Waits with the group's timeout; c10d reports a timeout or a broken peer as an exception.
void wait(GroupBox& g, const c10::intrusive_ptr<::c10d::Work>& work, const char* what) {
  try {
    work->wait(g.timeout);
  } catch (const c10::Error& e) {
    throw std::runtime_error(std::string(what) + " failed on rank " + std::to_string(g.rank) + " of " +
                             std::to_string(g.world_size) + " (" + g.backend + "): " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(what) + " failed on rank " + std::to_string(g.rank) + " of " +
                             std::to_string(g.world_size) + " (" + g.backend + "): " + e.what());
  }
}

bool same_kind(const std::vector<at::Tensor>& tensors) {
  for (const auto& tensor : tensors)
    if (tensor.scalar_type() != tensors[0].scalar_type() || tensor.device() != tensors[0].device()) return false;
  return true;
}

void allreduce_sum(GroupBox& g, std::vector<at::Tensor>& tensors) {
  ::c10d::AllreduceOptions options;
  options.reduceOp = ::c10d::ReduceOp::SUM;
  options.timeout = g.timeout;
  // A process group's vector-of-tensors means "one tensor per local device", so
  // tensors of different shapes are reduced one by one, or coalesced by gloo when they share a dtype.
  if (tensors.size() == 1) {
    wait(g, g.group->allreduce(tensors, options), "all-reduce");
  } else if (g.backend == "gloo" && same_kind(tensors)) {
    ::c10d::AllreduceCoalescedOptions coalesced;
    coalesced.reduceOp = ::c10d::ReduceOp::SUM;
    coalesced.timeout = g.timeout;
    wait(g, g.group->allreduce_coalesced(tensors, coalesced), "all-reduce");
  } else {
    for (auto& tensor : tensors) {
      std::vector<at::Tensor> one{tensor};
      wait(g, g.group->allreduce(one, options), "all-reduce");
    }
  }
}

void check_dense(const std::vector<at::Tensor>& tensors, const char* what) {
  for (size_t i = 0; i < tensors.size(); ++i)
    if (!tensors[i].is_contiguous())
      throw std::invalid_argument(std::string(what) + ": tensor " + std::to_string(i) +
                                  " is not contiguous; collectives work in place on dense memory");
}

// Batch normalization whose statistics cover the batch of every rank. The
// backward pass all-reduces the per-channel sums of dy and dy * x_hat, so the
// input gradient is the one of a single batch holding every rank's samples.
struct SyncBatchNormFunction : public torch::autograd::Function<SyncBatchNormFunction> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, at::Tensor input, at::Tensor weight,
                            at::Tensor bias, at::Tensor running_mean, at::Tensor running_var, int64_t group,
                            double momentum, double eps) {
    auto& g = *reinterpret_cast<GroupBox*>(group);
    const auto channels = input.size(1);
    std::vector<int64_t> dims{0};
    for (int64_t d = 2; d < input.dim(); ++d) dims.push_back(d);
    // Sums in double: E[x^2] - E[x]^2 loses precision in float.
    auto x = input.to(at::kDouble);
    auto count = at::full({1}, static_cast<double>(input.numel() / channels), x.options());
    std::vector<at::Tensor> stats{at::cat({x.sum(dims), (x * x).sum(dims), count})};
    allreduce_sum(g, stats);
    const auto total = stats[0][2 * channels].item<double>();
    auto mean = stats[0].narrow(0, 0, channels) / total;
    auto var = (stats[0].narrow(0, channels, channels) / total - mean * mean).clamp_min(0);
    if (running_mean.defined()) {
      at::NoGradGuard no_grad;
      running_mean.mul_(1 - momentum).add_(mean.to(running_mean.scalar_type()), momentum);
      const double unbias = total > 1 ? total / (total - 1) : 1.0;
      running_var.mul_(1 - momentum).add_((var * unbias).to(running_var.scalar_type()), momentum);
    }
    std::vector<int64_t> shape(input.dim(), 1);
    shape[1] = channels;
    auto invstd = (var + eps).rsqrt().to(input.scalar_type()).view(shape);
    auto xhat = (input - mean.to(input.scalar_type()).view(shape)) * invstd;
    auto out = weight.defined() ? xhat * weight.view(shape) : xhat;
    if (bias.defined()) out = out + bias.view(shape);
    ctx->save_for_backward({xhat, invstd, weight});
    ctx->saved_data["group"] = group;
    ctx->saved_data["total"] = total;
    ctx->saved_data["has_bias"] = bias.defined();
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto xhat = saved[0], invstd = saved[1], weight = saved[2];
    auto& g = *reinterpret_cast<GroupBox*>(ctx->saved_data["group"].toInt());
    const auto total = ctx->saved_data["total"].toDouble();
    auto dy = grads[0];
    const auto channels = xhat.size(1);
    std::vector<int64_t> dims{0};
    for (int64_t d = 2; d < xhat.dim(); ++d) dims.push_back(d);
    std::vector<int64_t> shape(xhat.dim(), 1);
    shape[1] = channels;
    auto local_dy = dy.sum(dims);
    auto local_dy_xhat = (dy * xhat).sum(dims);
    // Weight and bias gradients stay local: data parallelism averages them with the other gradients.
    std::vector<at::Tensor> sums{at::cat({local_dy, local_dy_xhat}).to(at::kDouble)};
    allreduce_sum(g, sums);
    auto mean_dy = (sums[0].narrow(0, 0, channels) / total).to(dy.scalar_type()).view(shape);
    auto mean_dy_xhat = (sums[0].narrow(0, channels, channels) / total).to(dy.scalar_type()).view(shape);
    auto scale = weight.defined() ? invstd * weight.view(shape) : invstd;
    auto dx = (dy - mean_dy - xhat * mean_dy_xhat) * scale;
    const bool has_bias = ctx->saved_data["has_bias"].toBool();
    return {dx, weight.defined() ? local_dy_xhat : at::Tensor(), has_bias ? local_dy : at::Tensor(),
            at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

}  // namespace
#endif

#if !DSL_HAVE_GLOO
namespace {
[[noreturn]] void no_gloo() {
  throw std::runtime_error(
      "distributed training was not compiled in: the gloo headers were missing when libdsltorch was built "
      "(install libgloo-dev, delete Runtime/Native/build and build again)");
}
}  // namespace
#endif

// Connects to (rank 0: serves) the rendezvous store at host:port. Every rank
// must connect within timeout_ms.
DSL_API void* dsl_dist_store_create(const char* host, int port, int world_size, int is_master, int64_t timeout_ms) {
  try {
    dsl_clear_error();
#if DSL_HAVE_GLOO
    if (port <= 0 || port > 65535) throw std::invalid_argument("master port " + std::to_string(port) + " is out of range");
    if (world_size < 1) throw std::invalid_argument("world size must be at least 1, got " + std::to_string(world_size));
    ::c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(port);
    options.isServer = is_master != 0;
    options.numWorkers = static_cast<size_t>(world_size);
    options.waitWorkers = true;
    options.timeout = std::chrono::milliseconds(timeout_ms);
    c10::intrusive_ptr<::c10d::Store> store;
    try {
      store = c10::make_intrusive<::c10d::TCPStore>(host, options);
    } catch (const c10::Error& e) {
      throw std::runtime_error(std::string("rendezvous at ") + host + ":" + std::to_string(port) + " failed (" +
                               (is_master ? "listening" : "connecting") + ", world size " +
                               std::to_string(world_size) + "): " + e.what_without_backtrace());
    }
    return new StoreBox{store, host, std::string(host) + ":" + std::to_string(port)};
#else
    no_gloo();
#endif
  } catch (const std::exception& e) {
    dsl_set_error(e.what());
    return nullptr;
  }
}

DSL_API void dsl_dist_store_free(void* store) {
#if DSL_HAVE_GLOO
  delete static_cast<StoreBox*>(store);
#endif
}

DSL_API int dsl_dist_nccl_compiled() {
#if DSL_HAVE_GLOO && defined(USE_C10D_NCCL)
  return 1;
#else
  return 0;
#endif
}

// Joins the process group named `prefix` on the store (several groups may share one store).
DSL_API void* dsl_dist_group_create(void* store, const char* prefix, const char* backend, int rank, int world_size,
                                    int64_t timeout_ms) {
  try {
    dsl_clear_error();
#if DSL_HAVE_GLOO
    if (!store) throw std::invalid_argument("store handle is null");
    if (rank < 0 || rank >= world_size)
      throw std::invalid_argument("rank " + std::to_string(rank) + " is outside world size " + std::to_string(world_size));
    const std::string name(backend);
    const auto timeout = std::chrono::milliseconds(timeout_ms);
    auto scoped = c10::make_intrusive<::c10d::PrefixStore>(prefix, static_cast<StoreBox*>(store)->store);
    c10::intrusive_ptr<::c10d::ProcessGroup> group;
    if (name == "gloo") {
      auto options = ::c10d::ProcessGroupGloo::Options::create(timeout);
      // A job on loopback stays on loopback; across machines gloo binds to the address of this host's name.
      const auto& master = static_cast<StoreBox*>(store)->host;
      const bool local = master == "127.0.0.1" || master == "localhost" || master == "::1";
      options->devices.push_back(local ? ::c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                       : ::c10d::ProcessGroupGloo::createDefaultDevice());
      group = c10::make_intrusive<::c10d::ProcessGroupGloo>(scoped, rank, world_size, options);
    } else if (name == "nccl") {
#ifdef USE_C10D_NCCL
      // NCCL waits on the GPU stream; only its watchdog turns an overdue collective into an error, and it
      // does so when asynchronous error handling is on (read when the group is created).
      setenv("NCCL_ASYNC_ERROR_HANDLING", "1", 0);
      auto options = ::c10d::ProcessGroupNCCL::Options::create();
      options->timeout = timeout;
      group = c10::make_intrusive<::c10d::ProcessGroupNCCL>(scoped, rank, world_size, options);
#else
      throw std::runtime_error("the nccl backend needs a CUDA libtorch built with NCCL (USE_C10D_NCCL); this one is CPU-only, use gloo");
#endif
    } else {
      throw std::invalid_argument("unknown distributed backend '" + name + "' (expected gloo or nccl)");
    }
    return new GroupBox{group, timeout, name, rank, world_size};
#else
    no_gloo();
#endif
  } catch (const c10::Error& e) {
    // The usual cause is a rank that never started or died before joining.
    dsl_set_error(std::string("joining the ") + backend + " process group at " +
                  (store ? static_cast<StoreBox*>(store)->address : std::string("?")) + " as rank " +
                  std::to_string(rank) + " of " + std::to_string(world_size) + " failed within " +
                  std::to_string(timeout_ms) + " ms (did every rank start?): " + e.what_without_backtrace());
    return nullptr;
  } catch (const std::exception& e) {
    dsl_set_error(e.what());
    return nullptr;
  }
}

DSL_API void dsl_dist_group_free(void* group) {
#if DSL_HAVE_GLOO
  delete static_cast<GroupBox*>(group);
#endif
}

// Sums each tensor over all ranks, in place.
DSL_API int dsl_dist_allreduce(void* group, Handle* tensors, int count) {
  DSL_STATUS({
#if DSL_HAVE_GLOO
    auto list = handles(tensors, count);
    check_dense(list, "all-reduce");
    if (!list.empty()) allreduce_sum(G(group), list);
#else
    no_gloo();
#endif
  })
}

// Overwrites each tensor with the value it has on `root`.
DSL_API int dsl_dist_broadcast(void* group, Handle* tensors, int count, int root) {
  DSL_STATUS({
#if DSL_HAVE_GLOO
    auto& g = G(group);
    auto list = handles(tensors, count);
    check_dense(list, "broadcast");
    ::c10d::BroadcastOptions options;
    options.rootRank = root;
    options.timeout = g.timeout;
    // One collective per tensor (see allreduce_sum); they are queued, then awaited in order.
    std::vector<c10::intrusive_ptr<::c10d::Work>> works;
    for (auto& tensor : list) {
      std::vector<at::Tensor> one{tensor};
      works.push_back(g.group->broadcast(one, options));
    }
    for (auto& work : works) wait(g, work, "broadcast");
#else
    no_gloo();
#endif
  })
}

DSL_API int dsl_dist_barrier(void* group) {
  DSL_STATUS({
#if DSL_HAVE_GLOO
    auto& g = G(group);
    ::c10d::BarrierOptions options;
    options.timeout = g.timeout;
    wait(g, g.group->barrier(options), "barrier");
#else
    no_gloo();
#endif
  })
}

// Training-mode batch norm over the union of every rank's batch (see SyncBatchNormFunction).
DSL_API Handle dsl_dist_sync_batch_norm(void* group, Handle input, Handle weight, Handle bias, Handle running_mean,
                                        Handle running_var, double momentum, double eps) {
  DSL_TENSOR([&]() -> at::Tensor {
#if DSL_HAVE_GLOO
    G(group);
    if (T(input).dim() < 2) throw std::invalid_argument("sync batch norm needs an input with a channel dimension");
    auto undefined = at::Tensor();
    return SyncBatchNormFunction::apply(T(input), weight ? T(weight) : undefined, bias ? T(bias) : undefined,
                                        running_mean ? T(running_mean) : undefined,
                                        running_var ? T(running_var) : undefined,
                                        reinterpret_cast<int64_t>(group), momentum, eps);
#else
    no_gloo();
#endif
  }())
}
