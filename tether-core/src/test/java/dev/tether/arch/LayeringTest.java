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
 * {@code internal.pool} sits beside {@code launch} at the top of the internal layers: nothing uses
 * it but the API's {@code TetherPool}, and it reaches workers only through its own
 * {@code WorkerHandle}, which the API adapts from a launched {@code Tether}; so it needs the cancel
 * layer (scopes, deadlines, per-thread cancel state of a waiting caller) and no entry point.
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
        .layer("pool").definedBy("dev.tether.internal.pool..")
        .layer("client").definedBy("dev.tether.internal.client..")
        .layer("server").definedBy("dev.tether.internal.server..")
        .layer("stream").definedBy("dev.tether.internal.stream..")
        .layer("cancel").definedBy("dev.tether.internal.cancel..")
        .layer("wire").definedBy("dev.tether.internal.wire..")
        .layer("codec").definedBy("dev.tether.internal.codec..")
        .layer("transport").definedBy("dev.tether.internal.transport..")
        .layer("process").definedBy("dev.tether.internal.process..")
        .layer("time").definedBy("dev.tether.internal.time..")
        .layer("event").definedBy("dev.tether.internal.event..")
        .whereLayer("supervise").mayNotBeAccessedByAnyLayer()
        .whereLayer("launch").mayOnlyBeAccessedByLayers("supervise")
        .whereLayer("pool").mayNotBeAccessedByAnyLayer()
        .whereLayer("client").mayOnlyBeAccessedByLayers("supervise", "launch")
        .whereLayer("server").mayOnlyBeAccessedByLayers("launch")
        .whereLayer("stream").mayOnlyBeAccessedByLayers("client", "server")
        .whereLayer("cancel")
        .mayOnlyBeAccessedByLayers("supervise", "launch", "pool", "client", "server", "stream")
        .whereLayer("wire").mayOnlyBeAccessedByLayers("launch", "client", "server", "stream")
        .whereLayer("codec")
        .mayOnlyBeAccessedByLayers("launch", "client", "server", "wire", "stream")
        .whereLayer("transport")
        .mayOnlyBeAccessedByLayers("supervise", "launch", "client", "server", "wire")
        .whereLayer("process").mayOnlyBeAccessedByLayers("supervise", "launch")
        .whereLayer("time").mayOnlyBeAccessedByLayers("supervise", "launch", "pool", "client",
            "server", "stream", "cancel", "wire", "codec", "transport", "process", "event")
        .whereLayer("event").mayOnlyBeAccessedByLayers("supervise", "launch", "pool", "client",
            "server", "process")
        .check(classes);
  }

  @Test
  void timeIsTheBottomLayerAndUsesNothingOfTether() {
    noClasses().that().resideInAPackage("dev.tether.internal.time..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.tether", "dev.tether.internal.client..",
            "dev.tether.internal.server..", "dev.tether.internal.cancel..",
            "dev.tether.internal.wire..", "dev.tether.internal.codec..",
            "dev.tether.internal.transport..", "dev.tether.internal.process..",
            "dev.tether.internal.launch..", "dev.tether.internal.supervise..",
            "dev.tether.internal.pool..", "dev.tether.internal.event..")
        .check(classes);
  }

  /** JFR events and the shared listener plumbing use the API's value types and time, nothing else. */
  @Test
  void eventsUseOnlyTimeAndTheApi() {
    noClasses().that().resideInAPackage("dev.tether.internal.event..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.tether.internal.client..",
            "dev.tether.internal.server..", "dev.tether.internal.cancel..",
            "dev.tether.internal.wire..", "dev.tether.internal.codec..",
            "dev.tether.internal.transport..", "dev.tether.internal.process..",
            "dev.tether.internal.launch..", "dev.tether.internal.supervise..",
            "dev.tether.internal.pool..")
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
            "dev.tether.internal.transport..", "dev.tether.internal.process..",
            "dev.tether.internal.time..")
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
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.tether.TetherPool")
        .check(classes);
  }
}
