global using Xunit;
global using Microsoft.CodeAnalysis;
