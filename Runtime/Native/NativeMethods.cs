using System.Runtime.InteropServices;

namespace Dsl.Runtime.Native;

/// <summary>The flat C ABI of libdsltorch: opaque tensor handles, status codes, a thread-local last error.</summary>
internal static partial class NativeMethods
{
    internal const string Library = "dsltorch";

    [LibraryImport(Library)] internal static partial IntPtr dsl_last_error();
    [LibraryImport(Library)] internal static partial void dsl_tensor_free(IntPtr handle);

    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_tensor_from_data(void* data, int dtype, long* shape, int ndim, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_tensor_full(long* shape, int ndim, double value, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_tensor_empty(long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_tensor_rand(long* shape, int ndim, int normal, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial IntPtr dsl_tensor_randperm(long n);
    [LibraryImport(Library)] internal static partial IntPtr dsl_tensor_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static unsafe partial int dsl_tensor_copy_to(IntPtr handle, void* destination, long bytes);

    [LibraryImport(Library)] internal static partial int dsl_tensor_dim(IntPtr handle);
    [LibraryImport(Library)] internal static unsafe partial int dsl_tensor_shape(IntPtr handle, long* shape);
    [LibraryImport(Library)] internal static unsafe partial int dsl_tensor_strides(IntPtr handle, long* strides);
    [LibraryImport(Library)] internal static partial int dsl_tensor_dtype(IntPtr handle);
    [LibraryImport(Library)] internal static partial int dsl_tensor_device_type(IntPtr handle);
    [LibraryImport(Library)] internal static partial int dsl_tensor_device_index(IntPtr handle);
    [LibraryImport(Library)] internal static partial int dsl_tensor_requires_grad(IntPtr handle);
    [LibraryImport(Library)] internal static partial int dsl_tensor_set_requires_grad(IntPtr handle, int value);
    [LibraryImport(Library)] internal static partial int dsl_tensor_is_contiguous(IntPtr handle, int channelsLast);
    [LibraryImport(Library)] internal static partial long dsl_tensor_storage_offset(IntPtr handle);

    [LibraryImport(Library)] internal static partial IntPtr dsl_tensor_to(IntPtr handle, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial IntPtr dsl_tensor_contiguous(IntPtr handle, int channelsLast);
    [LibraryImport(Library)] internal static partial IntPtr dsl_tensor_clone(IntPtr handle);
    [LibraryImport(Library)] internal static partial IntPtr dsl_tensor_detach(IntPtr handle);
    [LibraryImport(Library)] internal static partial IntPtr dsl_tensor_alias(IntPtr handle);
    [LibraryImport(Library)] internal static partial int dsl_tensor_copy_(IntPtr destination, IntPtr source);
    [LibraryImport(Library)] internal static partial int dsl_tensor_fill_(IntPtr handle, double value);
    [LibraryImport(Library)] internal static partial int dsl_tensor_item(IntPtr handle, out double value);
    [LibraryImport(Library)] internal static partial int dsl_tensor_normal_(IntPtr handle, double mean, double std);
    [LibraryImport(Library)] internal static partial int dsl_tensor_uniform_(IntPtr handle, double low, double high);

    [LibraryImport(Library)] internal static partial IntPtr dsl_binary(int op, IntPtr a, IntPtr b);
    [LibraryImport(Library)] internal static partial IntPtr dsl_binary_scalar(int op, IntPtr a, double scalar);
    [LibraryImport(Library)] internal static partial int dsl_binary_(int op, IntPtr a, IntPtr b);
    [LibraryImport(Library)] internal static partial int dsl_binary_scalar_(int op, IntPtr a, double scalar);
    [LibraryImport(Library)] internal static partial int dsl_add_scaled_(IntPtr a, IntPtr b, double alpha);
    [LibraryImport(Library)] internal static partial IntPtr dsl_unary(int op, IntPtr a);
    [LibraryImport(Library)] internal static partial int dsl_unary_(int op, IntPtr a);
    [LibraryImport(Library)] internal static partial IntPtr dsl_clamp(IntPtr a, double low, double high);

    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_sum(IntPtr handle, long* dims, int ndims, int keepdim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_mean(IntPtr handle, long* dims, int ndims, int keepdim);
    [LibraryImport(Library)] internal static partial IntPtr dsl_norm(IntPtr handle, double p);
    [LibraryImport(Library)] internal static partial IntPtr dsl_max_all(IntPtr handle);
    [LibraryImport(Library)] internal static partial IntPtr dsl_argmax(IntPtr handle, long dim, int keepdim);
    [LibraryImport(Library)] internal static partial int dsl_topk(IntPtr handle, long k, long dim, int largest, int sorted, out IntPtr values, out IntPtr indices);

    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_view(IntPtr handle, long* shape, int ndim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_reshape(IntPtr handle, long* shape, int ndim);
    [LibraryImport(Library)] internal static partial IntPtr dsl_flatten(IntPtr handle, long start, long end);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_permute(IntPtr handle, long* dims, int ndim);
    [LibraryImport(Library)] internal static partial IntPtr dsl_transpose(IntPtr handle, long a, long b);
    [LibraryImport(Library)] internal static partial IntPtr dsl_unsqueeze(IntPtr handle, long dim);
    [LibraryImport(Library)] internal static partial IntPtr dsl_squeeze(IntPtr handle, long dim);
    [LibraryImport(Library)] internal static partial IntPtr dsl_narrow(IntPtr handle, long dim, long start, long length);
    [LibraryImport(Library)] internal static partial IntPtr dsl_index_select(IntPtr handle, long dim, IntPtr index);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_as_strided(IntPtr handle, long* shape, long* strides, int ndim, long offset);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_cat(IntPtr* tensors, int count, long dim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_stack(IntPtr* tensors, int count, long dim);
    [LibraryImport(Library)] internal static partial IntPtr dsl_where(IntPtr condition, IntPtr a, IntPtr b);

    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_conv2d(IntPtr x, IntPtr weight, IntPtr bias, long* stride, long* padding, long* dilation, long groups);
    [LibraryImport(Library)] internal static partial IntPtr dsl_batch_norm(IntPtr x, IntPtr weight, IntPtr bias, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_max_pool2d(IntPtr x, long* kernel, long* stride, long* padding, long* dilation, int ceilMode);
    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_avg_pool2d(IntPtr x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad);
    [LibraryImport(Library)] internal static partial IntPtr dsl_adaptive_avg_pool2d(IntPtr x, long height, long width);
    [LibraryImport(Library)] internal static partial IntPtr dsl_interpolate(IntPtr x, long height, long width, int mode);
    [LibraryImport(Library)] internal static partial IntPtr dsl_linear(IntPtr x, IntPtr weight, IntPtr bias);
    [LibraryImport(Library)] internal static partial IntPtr dsl_matmul(IntPtr a, IntPtr b);
    [LibraryImport(Library)] internal static partial IntPtr dsl_dropout(IntPtr x, double p, int training);
    [LibraryImport(Library)] internal static partial IntPtr dsl_log_softmax(IntPtr x, long dim);
    [LibraryImport(Library)] internal static partial IntPtr dsl_softmax(IntPtr x, long dim);
    [LibraryImport(Library)] internal static partial IntPtr dsl_cross_entropy(IntPtr logits, IntPtr target, int reduction, double labelSmoothing);

    [LibraryImport(Library)] internal static partial int dsl_backward(IntPtr loss, IntPtr gradient, int retainGraph);
    [LibraryImport(Library)] internal static partial int dsl_tensor_grad(IntPtr handle, out IntPtr gradient);
    [LibraryImport(Library)] internal static partial int dsl_tensor_clear_grad(IntPtr handle);
    [LibraryImport(Library)] internal static partial int dsl_tensor_set_grad(IntPtr handle, IntPtr gradient);
    [LibraryImport(Library)] internal static partial int dsl_grad_enabled();
    [LibraryImport(Library)] internal static partial void dsl_set_grad_enabled(int enabled);
    [LibraryImport(Library)] internal static partial IntPtr dsl_inference_mode_enter();
    [LibraryImport(Library)] internal static partial void dsl_inference_mode_exit(IntPtr guard);
    [LibraryImport(Library)] internal static partial void dsl_manual_seed(ulong seed);
    [LibraryImport(Library)] internal static partial IntPtr dsl_rng_get_state();
    [LibraryImport(Library)] internal static partial int dsl_rng_set_state(IntPtr state);
    [LibraryImport(Library)] internal static partial void dsl_set_num_threads(int threads);
    [LibraryImport(Library)] internal static partial int dsl_get_num_threads();
    [LibraryImport(Library)] internal static partial int dsl_cuda_device_count();

    [LibraryImport(Library)] internal static unsafe partial IntPtr dsl_image_decode(byte* data, long length);
}
