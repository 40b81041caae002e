package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.persistence.memory.InMemoryAppRunRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryPlacementRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryRuntimeNodeRepository;

class InMemoryRepositoryContractTest extends RepositoryContractTest {

    @Override
    protected Repositories emptyRepositories() {
        return new Repositories(new InMemoryRuntimeNodeRepository(), new InMemoryPlacementRepository(),
                new InMemoryAppRunRepository());
    }
}
