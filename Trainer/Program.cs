Console.WriteLine("dsl");
