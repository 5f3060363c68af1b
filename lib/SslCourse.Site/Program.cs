using SslCourse.Notebooks;
using SslCourse.Site;

// sslcourse-site build --notebooks DIR --out DIR --assets DIR [--repo DIR]
//   DIR of executed notebooks (./course run's out/course, or the notebook tests' out/notebooks-test) → a static site.
try
{
    var options = SiteOptions.Parse(args);
    var pages = new SiteBuilder(options).Build();
    Console.WriteLine($"site: {pages} pages in {options.Out}");
    return 0;
}
catch (SiteInputException e)
{
    Console.Error.WriteLine($"sslcourse-site: {e.Message}");
    return 2;
}
catch (NotebookFormatException e)
{
    Console.Error.WriteLine($"sslcourse-site: {e.Message}");
    return 2;
}
