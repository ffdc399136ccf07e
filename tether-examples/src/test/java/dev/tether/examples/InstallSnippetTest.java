package dev.tether.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The README's Install section says what the poms say: every coordinate in its Maven and Gradle
 * snippets names a module of this build that is deployed, at the build's version, and the module
 * names are those of the module-info files.
 */
class InstallSnippetTest {
  static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..").normalize();

  record Coordinates(String groupId, String artifactId, String version) {}

  @Test
  void mavenSnippetNamesDeployedModulesAtTheBuildsVersion() throws Exception {
    String install = installSection();
    String xml = block(install, "xml");
    List<Coordinates> deps = new ArrayList<>();
    Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(xml);
    while (m.find()) {
      deps.add(new Coordinates(tag(m.group(1), "groupId"), tag(m.group(1), "artifactId"),
          tag(m.group(1), "version")));
    }
    assertThat(deps).extracting(Coordinates::artifactId)
        .containsExactly("tether-bom", "tether-core", "tether-testing");
    String version = buildVersion();
    for (Coordinates c : deps) {
      assertThat(c.groupId()).isEqualTo(pomCoordinates(c.artifactId()).groupId());
      assertDeployed(c.artifactId());
      if (c.version() != null) {
        assertThat(c.version()).as(c.artifactId()).isEqualTo(version);
      }
    }
    assertThat(deps.get(0).version()).as("the BOM import carries the version").isNotNull();
  }

  @Test
  void gradleSnippetAndPlainCoordinatesAgreeWithThePoms() throws Exception {
    String install = installSection();
    String gradle = block(install, "kotlin");
    Matcher m = Pattern.compile("\"([\\w.]+):([\\w-]+)(?::([\\w.-]+))?\"").matcher(install);
    int found = 0;
    while (m.find()) {
      Coordinates pom = pomCoordinates(m.group(2));
      assertThat(m.group(1)).isEqualTo(pom.groupId());
      assertDeployed(m.group(2));
      if (m.group(3) != null) {
        assertThat(m.group(3)).as(m.group()).isEqualTo(buildVersion());
      }
      found++;
    }
    assertThat(gradle).contains("platform(\"dev.tether:tether-bom:" + buildVersion() + "\")");
    assertThat(found).isGreaterThanOrEqualTo(3);
    Matcher plain = Pattern.compile("`([\\w.]+):([\\w-]+):([\\w.-]+)`").matcher(install);
    int plainFound = 0;
    while (plain.find()) {
      assertThat(plain.group(1)).isEqualTo(pomCoordinates(plain.group(2)).groupId());
      assertThat(plain.group(3)).isEqualTo(buildVersion());
      plainFound++;
    }
    assertThat(plainFound).isEqualTo(2);
  }

  @Test
  void moduleNamesAreThoseOfTheModuleInfos() throws Exception {
    String install = installSection();
    for (String module : List.of("tether-core", "tether-testing")) {
      String info = Files.readString(ROOT.resolve(module + "/src/main/java/module-info.java"));
      Matcher m = Pattern.compile("(?m)^module ([\\w.]+) \\{").matcher(info);
      assertThat(m.find()).isTrue();
      assertThat(install).contains("`" + m.group(1) + "`");
    }
    assertThat(install).contains("requires dev.tether;");
  }

  @Test
  void theBomListsEveryDeployedJarModuleAtTheBuildsVersion() throws Exception {
    Document bom = parse(ROOT.resolve("tether-bom/pom.xml"));
    assertThat(text(bom.getDocumentElement(), "version")).isEqualTo(buildVersion());
    List<String> managed = new ArrayList<>();
    NodeList deps = bom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      managed.add(text((Element) deps.item(i), "artifactId"));
    }
    List<String> deployedJars = new ArrayList<>();
    for (String module : modules()) {
      Document pom = parse(ROOT.resolve(module + "/pom.xml"));
      if (!module.equals("tether-bom") && !skipsDeploy(pom)) {
        deployedJars.add(module);
      }
    }
    assertThat(managed).containsExactlyInAnyOrderElementsOf(deployedJars);
  }

  private static void assertDeployed(String artifactId) throws Exception {
    assertThat(modules()).contains(artifactId);
    assertThat(skipsDeploy(parse(ROOT.resolve(artifactId + "/pom.xml"))))
        .as("%s is deployed", artifactId).isFalse();
  }

  private static boolean skipsDeploy(Document pom) {
    NodeList props = pom.getElementsByTagName("maven.deploy.skip");
    return props.getLength() > 0 && props.item(0).getTextContent().trim().equals("true");
  }

  private static String installSection() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Install\n");
    assertThat(start).as("README has an Install section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end);
  }

  private static String block(String text, String lang) {
    Matcher m = Pattern.compile("```" + lang + "\\n(.*?)```", Pattern.DOTALL).matcher(text);
    assertThat(m.find()).as("a ```%s block", lang).isTrue();
    return m.group(1);
  }

  private static String tag(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    return m.find() ? m.group(1).trim() : null;
  }

  private static String buildVersion() throws Exception {
    return text(parse(ROOT.resolve("pom.xml")).getDocumentElement(), "version");
  }

  private static List<String> modules() throws Exception {
    List<String> out = new ArrayList<>();
    NodeList l = parse(ROOT.resolve("pom.xml")).getElementsByTagName("module");
    for (int i = 0; i < l.getLength(); i++) {
      out.add(l.item(i).getTextContent().trim());
    }
    return out;
  }

  private static Coordinates pomCoordinates(String module) throws Exception {
    Element project = parse(ROOT.resolve(module + "/pom.xml")).getDocumentElement();
    String group = text(project, "groupId");
    String version = text(project, "version");
    Element parent = child(project, "parent");
    if (parent != null) {
      group = group != null ? group : text(parent, "groupId");
      version = version != null ? version : text(parent, "version");
    }
    assertThat(text(project, "artifactId")).isEqualTo(module);
    assertThat(version).isEqualTo(buildVersion());
    return new Coordinates(group, module, version);
  }

  private static Document parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  /** The text of a direct child element, or null. */
  private static String text(Element e, String name) {
    Element c = child(e, name);
    return c == null ? null : c.getTextContent().trim();
  }

  private static Element child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
