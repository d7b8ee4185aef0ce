using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Blocks;

public sealed partial class SEModule
{
    public Inference ForInference(InferenceLayout layout) => new(this, layout);

    /// <summary>Squeeze-excitation in inference form: its 1x1 convolutions keep their biases (there is no batch norm to fold).</summary>
    public sealed class Inference : nn.Module<Tensor, Tensor>
    {
        [field: ComponentName(Name = "fc1")] public FusedConv Fc1 { get; }
        [field: ComponentName(Name = "fc2")] public FusedConv Fc2 { get; }

        public Inference(SEModule module, InferenceLayout layout) : base(nameof(SEModule) + "." + nameof(Inference))
        {
            Fc1 = FusedConv.Copy(module.Fc1, layout, relu: true);
            Fc2 = FusedConv.Copy(module.Fc2, layout, relu: false);
            RegisterComponents();
        }

        /// <summary>Rescales <paramref name="input"/> in place: inside a fused block it is an intermediate no one else holds.</summary>
        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var s = Fc2.call(Fc1.call(nn.functional.adaptive_avg_pool2d(input, 1))).sigmoid_();
            return input.mul_(s);
        }
    }
}
