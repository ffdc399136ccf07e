package dev.tether.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md: lower layers never use higher ones. The API package is the
 * top layer for its entry points (Tether, TetherServer, Cancellation, CancelScope, WorkerSpec);
 * supervise (the handles behind Tether) sits above launch and reads WorkerSpec;
 * its value types (exceptions, codes, CallCanceller, records) may be used by every layer.
 */
class LayeringTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tether");
  }

  @Test
  void internalLayersOnlyUseLowerOnes() {
    Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("supervise").definedBy("dev.tether.internal.supervise..")
        .layer("launch").definedBy("dev.tether.internal.launch..")
        .layer("client").definedBy("dev.tether.internal.client..")
        .layer("server").definedBy("dev.tether.internal.server..")
        .layer("cancel").definedBy("dev.tether.internal.cancel..")
        .layer("wire").definedBy("dev.tether.internal.wire..")
        .layer("codec").definedBy("dev.tether.internal.codec..")
        .layer("transport").definedBy("dev.tether.internal.transport..")
        .layer("process").definedBy("dev.tether.internal.process..")
        .whereLayer("supervise").mayNotBeAccessedByAnyLayer()
        .whereLayer("launch").mayOnlyBeAccessedByLayers("supervise")
        .whereLayer("client").mayOnlyBeAccessedByLayers("supervise", "launch")
        .whereLayer("server").mayOnlyBeAccessedByLayers("launch")
        .whereLayer("cancel").mayOnlyBeAccessedByLayers("supervise", "launch", "client", "server")
        .whereLayer("wire").mayOnlyBeAccessedByLayers("launch", "client", "server")
        .whereLayer("codec").mayOnlyBeAccessedByLayers("launch", "client", "server", "wire")
        .whereLayer("transport")
        .mayOnlyBeAccessedByLayers("supervise", "launch", "client", "server", "wire")
        .whereLayer("process").mayOnlyBeAccessedByLayers("supervise", "launch")
        .check(classes);
  }

  @Test
  void clientAndServerDoNotKnowEachOther() {
    noClasses().that().resideInAPackage("dev.tether.internal.client..")
        .should().dependOnClassesThat().resideInAPackage("dev.tether.internal.server..")
        .check(classes);
    noClasses().that().resideInAPackage("dev.tether.internal.server..")
        .should().dependOnClassesThat().resideInAPackage("dev.tether.internal.client..")
        .check(classes);
  }

  @Test
  void bottomLayersDoNotUseTheApi() {
    noClasses().that().resideInAnyPackage("dev.tether.internal.codec..",
            "dev.tether.internal.transport..", "dev.tether.internal.process..")
        .should().dependOnClassesThat().resideInAPackage("dev.tether")
        .check(classes);
  }

  @Test
  void onlyTheSuperviseLayerReadsWorkerSpecsAndNoInternalLayerUsesTheHandle() {
    noClasses().that().resideInAPackage("dev.tether.internal.supervise..")
        .should().dependOnClassesThat().haveFullyQualifiedName("dev.tether.Tether")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.tether.TetherServer")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.tether.Cancellation")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.tether.CancelScope")
        .check(classes);
  }

  @Test
  void onlyTheLaunchLayerUsesTheApiEntryPoints() {
    noClasses().that().resideInAPackage("dev.tether.internal..")
        .and().resideOutsideOfPackage("dev.tether.internal.launch..")
        .and().resideOutsideOfPackage("dev.tether.internal.supervise..")
        .should().dependOnClassesThat().haveFullyQualifiedName("dev.tether.Tether")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.tether.TetherServer")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.tether.Cancellation")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.tether.CancelScope")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.tether.WorkerSpec")
        .check(classes);
  }
}
