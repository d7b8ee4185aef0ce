using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Blocks;

public sealed partial class Bottleneck
{
    public Inference ForInference(InferenceLayout layout) => new(this, layout);

    /// <summary>A bottleneck in inference form: three convolutions with their batch norms folded in, the shortcut likewise.</summary>
    public sealed class Inference : nn.Module<Tensor, Tensor>
    {
        [field: ComponentName(Name = "conv1")] public FusedConv Conv1 { get; }
        [field: ComponentName(Name = "conv2")] public FusedConv Conv2 { get; }
        [field: ComponentName(Name = "conv3")] public FusedConv Conv3 { get; }
        [field: ComponentName(Name = "downsample")] public Shortcut.Inference? Downsample { get; }
        [field: ComponentName(Name = "se_layer")] public SEModule.Inference? SeLayer { get; }
        public bool LastRelu { get; }

        public Inference(Bottleneck block, InferenceLayout layout) : base(nameof(Bottleneck) + "." + nameof(Inference))
        {
            Conv1 = FusedConv.Fold(block.Conv1, block.Bn1, layout, relu: true);
            Conv2 = FusedConv.Fold(block.Conv2, block.Bn2, layout, relu: true);
            Conv3 = FusedConv.Fold(block.Conv3, block.Bn3, layout, relu: false);
            Downsample = block.Downsample?.ForInference(layout);
            SeLayer = block.SeLayer?.ForInference(layout);
            LastRelu = block.LastRelu;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            if (SeLayer is null && LastRelu)
            {
                // Conv3, the residual sum and the ReLU in one pass, written into a shortcut tensor this block owns.
                var shortcut = Downsample is null ? input.clone() : Downsample.call(input);
                return Conv3.AddInto(shortcut, Conv2.call(Conv1.call(input))).MoveToOuterDisposeScope();
            }
            var x = Conv3.call(Conv2.call(Conv1.call(input)));
            if (SeLayer is not null) x = SeLayer.call(x);
            x = x.add_(Downsample is null ? input : Downsample.call(input));
            if (LastRelu) x = x.relu_();
            return x.MoveToOuterDisposeScope();
        }
    }
}
